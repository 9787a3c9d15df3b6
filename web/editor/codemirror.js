// kubeplay's YAML editor: CodeMirror 6 with only the extensions the playground uses, bundled by
// web/editor/build.mjs into one ES module and loaded by the Rust app after first paint
// (web/src/components/editor/code_editor.rs drives it through wasm-bindgen).
//
// This module decides nothing about Kubernetes: completions, hover texts and diagnostics all
// come from kubeplay-core through the callbacks Rust passes to `mount`. Everything shown is set
// as text (textContent or CodeMirror's plain-text fields), never as HTML.
//
// Positions cross the boundary as 1-based lines and 1-based columns counted in characters
// (Unicode scalar values), as kubeplay-core counts them; CodeMirror counts UTF-16 units, so
// every position is converted here.

import { Annotation, EditorSelection, EditorState } from '@codemirror/state';
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars,
  hoverTooltip, keymap, lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { HighlightStyle, indentOnInput, indentService, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { nextDiagnostic, setDiagnostics } from '@codemirror/lint';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { search, searchKeymap } from '@codemirror/search';
import { tags as t } from '@lezer/highlight';

/** Bumped when the interface below changes, so a stale cached bundle is detected. */
export const API_VERSION = 1;

/** Marks transactions that Rust asked for, so they are not echoed back as edits. */
const fromRust = Annotation.define();

/** The characters a key or an enumerated value is made of (what completion replaces). */
const WORD = /[\w./-]*/;

const highlight = HighlightStyle.define([
  { tag: t.definition(t.propertyName), color: 'var(--syn-key)' },
  { tag: t.string, color: 'var(--syn-string)' },
  { tag: [t.special(t.string), t.labelName, t.typeName], color: 'var(--syn-special)' },
  { tag: t.comment, color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [t.meta, t.keyword], color: 'var(--syn-meta)', fontWeight: '600' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--bg)', color: 'var(--ink)', fontSize: 'var(--editor-font, 13px)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--ink)', padding: '8px 0' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--ink)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection)' },
  '.cm-cursor': { borderLeftColor: 'var(--ink)' },
  // Errors and warnings differ in shape, not only in colour: wavy for errors, dashed for warnings.
  '.cm-lintRange-error': {
    backgroundImage: 'none', textDecoration: 'underline wavy var(--error)', textDecorationThickness: '1.5px',
    textUnderlineOffset: '3px', textDecorationSkipInk: 'none',
  },
  '.cm-lintRange-warning': {
    backgroundImage: 'none', textDecoration: 'underline dashed var(--warning)', textDecorationThickness: '2px',
    textUnderlineOffset: '3px', textDecorationSkipInk: 'none',
  },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--ink)', border: '1px solid var(--line)', borderRadius: '6px' },
  '.cm-tooltip-lint, .cm-explain': { maxWidth: '420px', fontFamily: 'var(--sans)', fontSize: '13px' },
  '.cm-diagnostic': { padding: '4px 8px' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--error)' },
  '.cm-diagnostic-warning': { borderLeft: '4px dashed var(--warning)' },
  '.cm-explain': { padding: '6px 10px' },
  '.cm-explain-path': { fontFamily: 'var(--mono)', fontWeight: '600' },
  '.cm-explain-type': { fontFamily: 'var(--mono)', color: 'var(--muted)', marginLeft: '6px' },
  '.cm-explain-about': { margin: '4px 0 0' },
  '.cm-explain-value': { margin: '4px 0 0', color: 'var(--muted)' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)' },
  '.cm-completionInfo': { fontFamily: 'var(--sans)', maxWidth: '360px' },
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--ink)' },
});

/** Tab writes two spaces (or indents the selected lines); Shift-Tab unindents. Escape then Tab
 *  moves focus out of the editor instead (CodeMirror's tab-focus mode), for keyboard users. */
const insertTwoSpaces = ({ state, dispatch }) => {
  if (state.selection.ranges.some((r) => !r.empty)) return indentMore({ state, dispatch });
  dispatch(state.update(state.replaceSelection('  '), { scrollIntoView: true, userEvent: 'input' }));
  return true;
};

/** Enter indents the way Kubernetes YAML is written: one level deeper after `key:` (or a
 *  block scalar's `|`), at the item's keys after `- key: value`, and level otherwise. */
const yamlIndent = indentService.of((context, pos) => {
  const line = context.lineAt(pos, -1);
  const text = line.text.slice(0, pos - line.from).replace(/\s+#.*$/, '').trimEnd();
  if (text.trim() === '' || text.trimStart().startsWith('#')) return undefined;
  const marker = /^(\s*(?:-\s+)*)/.exec(text)[1];
  const content = marker.length;
  if (/:$|:\s*[|>][-+0-9]*$/.test(text)) return content + 2;
  return content;
});

/** Characters (code points) in `text`. */
const chars = (text) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** The 1-based line and character column of document offset `pos`. */
function lineColumn(doc, pos) {
  const line = doc.lineAt(pos);
  return { line: line.number, column: chars(line.text.slice(0, pos - line.from)) + 1 };
}

/** The document offset of 1-based `line` and character `column`, clamped to the document. */
function offset(doc, line, column) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  let units = 0;
  let n = 1;
  for (const ch of l.text) {
    if (n >= column) break;
    units += ch.length;
    n++;
  }
  return l.from + units;
}

/** A diagnostic from Rust as CodeMirror wants it. A zero-width range is widened to the word
 *  (or the rest of the line) it points at, so that it has something to underline. */
function toDiagnostic(doc, d) {
  let from = offset(doc, d.line, d.column);
  let to = Math.max(from, offset(doc, d.endLine, d.endColumn));
  if (to === from) {
    const line = doc.lineAt(from);
    const rest = line.text.slice(from - line.from);
    const word = /^\S+/.exec(rest);
    if (word) to = from + word[0].length;
    else if (from > line.from) from -= 1;
    else if (line.to > line.from) to = line.to;
  }
  return { from, to, severity: d.severity, message: d.message };
}

/** The text a completion writes: `key: ` for a scalar, `key:` and an indented new line for an
 *  object or a list, the value itself for a value. */
function applyText(item, indent) {
  const pad = ' '.repeat(indent + 2);
  switch (item.insert) {
    case 'scalar': return `${item.label}: `;
    case 'object': return `${item.label}:\n${pad}`;
    case 'list': return `${item.label}:\n${pad}- `;
    default: return item.label;
  }
}

function completionSource(callbacks) {
  return (context) => {
    const word = context.matchBefore(WORD);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const { state } = context;
    const { line, column } = lineColumn(state.doc, context.pos);
    const items = callbacks.complete(state.doc.toString(), line, column);
    if (!items || items.length === 0) return null;
    const indent = chars(state.doc.lineAt(word.from).text.slice(0, word.from - state.doc.lineAt(word.from).from));
    return {
      from: word.from,
      validFor: /^[\w./-]*$/,
      options: items.map((item) => ({
        label: item.label,
        type: item.type,
        detail: item.detail,
        info: item.info,
        apply: applyText(item, indent),
      })),
    };
  };
}

function explainTooltip(callbacks) {
  return hoverTooltip((view, pos) => {
    const word = view.state.wordAt(pos);
    if (!word) return null;
    const { line, column } = lineColumn(view.state.doc, pos);
    const e = callbacks.explain(view.state.doc.toString(), line, column);
    if (!e) return null;
    return {
      pos: word.from,
      end: word.to,
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-explain';
        const head = dom.appendChild(document.createElement('div'));
        head.appendChild(document.createElement('span')).className = 'cm-explain-path';
        head.lastChild.textContent = e.title;
        head.appendChild(document.createElement('span')).className = 'cm-explain-type';
        head.lastChild.textContent = e.type;
        const about = dom.appendChild(document.createElement('p'));
        about.className = 'cm-explain-about';
        about.textContent = e.about;
        for (const extra of e.more ?? []) {
          const p = dom.appendChild(document.createElement('p'));
          p.className = 'cm-explain-value';
          p.textContent = extra;
        }
        return { dom };
      },
    };
  }, { hoverTime: 350 });
}

/**
 * Mounts an editor in `parent`.
 *
 * `callbacks.onChange(key, text)` is called after every edit the learner makes to file `key`;
 * `callbacks.complete(text, line, column)` returns `[{label, type, detail, info, insert}]`;
 * `callbacks.explain(text, line, column)` returns `{title, type, about, more}` or null;
 * `callbacks.label` names the editor for screen readers.
 */
export function mount(parent, callbacks) {
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(false),
    EditorState.tabSize.of(2),
    indentUnit.of('  '),
    indentOnInput(),
    yamlIndent,
    yaml(),
    syntaxHighlighting(highlight),
    highlightActiveLine(),
    EditorView.lineWrapping,
    search({ top: true }),
    autocompletion({ override: [completionSource(callbacks)], icons: false }),
    explainTooltip(callbacks),
    keymap.of([
      { key: 'Tab', run: insertTwoSpaces, shift: indentLess },
      { key: 'F8', run: nextDiagnostic },
      ...completionKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...defaultKeymap,
    ]),
    EditorView.contentAttributes.of({ 'aria-label': callbacks.label ?? 'YAML editor' }),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      if (update.transactions.every((tr) => tr.annotation(fromRust))) return;
      callbacks.onChange(current, update.state.doc.toString());
    }),
    theme,
  ];
  const view = new EditorView({ parent });
  // The problem list below grows and shrinks as the learner types; keep the cursor in sight.
  const keepCursorVisible = new ResizeObserver(() => {
    if (view.hasFocus) view.dispatch({ effects: EditorView.scrollIntoView(view.state.selection.main.head, { y: 'nearest' }) });
  });
  keepCursorVisible.observe(view.dom);
  /** Each open file's state: its text, undo history, selection and diagnostics. */
  const states = new Map();
  let current = null;

  return {
    /** Shows file `key` holding `text`, keeping each file's own history and cursor. */
    open(key, text) {
      if (key === current) {
        if (view.state.doc.toString() !== text) this.setDoc(text);
        return;
      }
      if (current !== null) states.set(current, view.state);
      let state = states.get(key);
      if (!state) state = EditorState.create({ doc: text, extensions });
      current = key;
      view.setState(state);
      if (state.doc.toString() !== text) this.setDoc(text);
    },
    /** Forgets a deleted file. */
    close(key) {
      states.delete(key);
    },
    /** Replaces the current file's text (undoable), without reporting it as an edit. */
    setDoc(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromRust.of(true) });
    },
    /** `[{line, column, endLine, endColumn, severity, message}]` for the current file. */
    setDiagnostics(list) {
      const doc = view.state.doc;
      view.dispatch(setDiagnostics(view.state, list.map((d) => toDiagnostic(doc, d))));
    },
    focus() {
      view.focus();
    },
    /** Moves the cursor to `line`, `column`, scrolls it into view and focuses the editor. */
    revealLine(line, column) {
      const pos = offset(view.state.doc, line, column);
      view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      view.focus();
    },
    hasFocus() {
      return view.hasFocus;
    },
    destroy() {
      keepCursorVisible.disconnect();
      view.destroy();
    },
  };
}
