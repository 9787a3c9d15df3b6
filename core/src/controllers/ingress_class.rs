//! The `DefaultIngressClass` admission plugin: which IngressClass an Ingress gets when it names
//! none.
//!
//! Rules (kubernetes/kubernetes `plugin/pkg/admission/network/defaultingressclass/admission.go`;
//! concept page "Ingress → Default IngressClass"): on *create* only, an Ingress without
//! `spec.ingressClassName` and without the legacy `kubernetes.io/ingress.class` annotation gets
//! the name of the IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"`;
//! when several are marked default, the newest (ties by name) wins (`getDefaultClass`; early
//! releases refused the Ingress instead). The field is then part of the stored object: later applies
//! that do not mention it leave it alone, so an Ingress created before a default class existed
//! keeps no class, and one defaulted keeps its class even if that class goes away. In apply
//! order, an IngressClass counts as existing for an Ingress created after it. Real creation
//! timestamps have one-second resolution, which the model's apply order refines.

use crate::api::ingress::{Ingress, IngressClass, INGRESS_CLASS_ANNOTATION};

/// The class admission writes into `ingress` at its creation, given the IngressClasses that
/// exist then with their creation order; `None` when it writes nothing.
pub fn default_class<'a>(ingress: &Ingress, classes: impl Iterator<Item = (&'a IngressClass, u64)>) -> Option<String> {
    if ingress.ingress_class_name.is_some() || ingress.meta.annotations.contains_key(INGRESS_CLASS_ANNOTATION) {
        return None;
    }
    classes
        .filter(|(class, _)| class.is_default)
        .max_by(|(a, a_created), (b, b_created)| a_created.cmp(b_created).then_with(|| b.meta.name.cmp(&a.meta.name)))
        .map(|(class, _)| class.meta.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ObjectMeta;

    fn class(name: &str, is_default: bool) -> IngressClass {
        IngressClass {
            meta: ObjectMeta { name: name.into(), ..Default::default() },
            controller: "k8s.io/ingress-nginx".into(),
            is_default,
        }
    }

    fn ingress(class: Option<&str>) -> Ingress {
        Ingress {
            meta: ObjectMeta { name: "web".into(), namespace: "default".into(), ..Default::default() },
            ingress_class_name: class.map(str::to_string),
            default_backend: None,
            rules: Vec::new(),
            tls: Vec::new(),
        }
    }

    #[test]
    fn the_newest_default_class_wins_and_an_explicit_class_or_annotation_is_left_alone() {
        // getDefaultClass sorts default classes newest first, ties by name.
        let (a, b, c) = (class("a", true), class("b", true), class("plain", false));
        let classes = || [(&a, 1), (&b, 2), (&c, 3)].into_iter();
        assert_eq!(default_class(&ingress(None), classes()).as_deref(), Some("b"));
        assert_eq!(default_class(&ingress(None), [(&b, 1), (&a, 1)].into_iter()).as_deref(), Some("a"));
        assert_eq!(default_class(&ingress(Some("other")), classes()), None);
        let mut annotated = ingress(None);
        annotated.meta.annotations.insert(INGRESS_CLASS_ANNOTATION.into(), "nginx".into());
        assert_eq!(default_class(&annotated, classes()), None);
        assert_eq!(default_class(&ingress(None), [(&c, 1)].into_iter()), None);
    }
}
