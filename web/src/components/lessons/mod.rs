//! The lesson panel.

mod lesson_list;

pub use lesson_list::LessonList;
