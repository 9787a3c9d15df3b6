//! Which apiVersion/kind pairs exist, and the story of the ones that were removed.
//!
//! The model serves each kind at its current API version only, as a current cluster does.
//! Versions removed from Kubernetes get the real story (which release removed them and what
//! to write instead), because widely read tutorials still use them.
//!
//! The messages are kubectl's: `apiVersion not set` and `kind not set` from its schema check
//! (`k8s.io/kubectl/pkg/validation`, `getObjectKind`, which reports both when both are
//! missing), and the REST mapper's `no matches for kind "K" in version "V"` for a pair the
//! server does not serve.

use super::Ctx;
use crate::api::Kind;
use crate::decode::{FieldPath, MapReader};
use crate::yaml::go_quote;

/// A served apiVersion and kind.
pub struct ApiKind {
    pub api_version: &'static str,
    pub kind: Kind,
}

/// Every kind the model serves, at its served version.
pub const SERVED: [ApiKind; 14] = [
    ApiKind { api_version: "v1", kind: Kind::Namespace },
    ApiKind { api_version: "v1", kind: Kind::Node },
    ApiKind { api_version: "v1", kind: Kind::Pod },
    ApiKind { api_version: "v1", kind: Kind::Service },
    ApiKind { api_version: "v1", kind: Kind::Endpoints },
    ApiKind { api_version: "v1", kind: Kind::ConfigMap },
    ApiKind { api_version: "discovery.k8s.io/v1", kind: Kind::EndpointSlice },
    ApiKind { api_version: "apps/v1", kind: Kind::Deployment },
    ApiKind { api_version: "apps/v1", kind: Kind::ReplicaSet },
    ApiKind { api_version: "apps/v1", kind: Kind::StatefulSet },
    ApiKind { api_version: "networking.k8s.io/v1", kind: Kind::Ingress },
    ApiKind { api_version: "networking.k8s.io/v1", kind: Kind::IngressClass },
    ApiKind { api_version: "networking.k8s.io/v1", kind: Kind::NetworkPolicy },
    ApiKind { api_version: "kind.x-k8s.io/v1alpha4", kind: Kind::Cluster },
];

/// (apiVersion, kind, the release that removed it, what to use instead).
const REMOVED: [(&str, &str, &str, &str); 12] = [
    ("extensions/v1beta1", "Deployment", "1.16", "apps/v1 (spec.selector is now required)"),
    ("extensions/v1beta1", "ReplicaSet", "1.16", "apps/v1"),
    ("extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1"),
    (
        "extensions/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1 with backend.service.name / backend.service.port.number",
    ),
    ("apps/v1beta1", "Deployment", "1.16", "apps/v1 (spec.selector is now required)"),
    ("apps/v1beta1", "StatefulSet", "1.16", "apps/v1"),
    ("apps/v1beta2", "Deployment", "1.16", "apps/v1"),
    ("apps/v1beta2", "ReplicaSet", "1.16", "apps/v1"),
    ("apps/v1beta2", "StatefulSet", "1.16", "apps/v1"),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1 with backend.service.name / backend.service.port.number",
    ),
    ("networking.k8s.io/v1beta1", "IngressClass", "1.22", "networking.k8s.io/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "discovery.k8s.io/v1"),
];

/// Reads `apiVersion` and `kind` and returns the served kind, or reports why not.
pub fn resolve(ctx: &mut Ctx, top: &mut MapReader) -> Option<Kind> {
    let api_version = top.str(&mut ctx.d, "apiVersion");
    let kind = top.str(&mut ctx.d, "kind");
    let root = FieldPath::root();
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        // kubectl refuses the document before sending it: "apiVersion not set", "kind not set".
        let span = top.span();
        for name in ["apiVersion", "kind"] {
            if top.raw(name).is_none() {
                ctx.d.error(span, &root.field(name), format!("{name} not set"));
            }
        }
        return None;
    };
    if let Some(served) = SERVED.iter().find(|a| a.kind.as_str() == kind.value && a.api_version == api_version.value) {
        return Some(served.kind);
    }
    let message = format!("no matches for kind {} in version {}", go_quote(&kind.value), go_quote(&api_version.value));
    let hint = if let Some((_, _, release, instead)) =
        REMOVED.iter().find(|(v, k, _, _)| *v == api_version.value && *k == kind.value)
    {
        format!("{} {} was removed in Kubernetes {release}; use {instead}", api_version.value, kind.value)
    } else if let Some(served) = SERVED.iter().find(|a| a.kind.as_str() == kind.value) {
        format!("{} is served as apiVersion: {}", kind.value, served.api_version)
    } else if let Some(served) = SERVED.iter().find(|a| a.kind.as_str().eq_ignore_ascii_case(&kind.value)) {
        format!("did you mean kind: {}?", served.kind)
    } else {
        let kinds: Vec<&str> = SERVED.iter().map(|a| a.kind.as_str()).collect();
        format!("kubeplay models these kinds: {}", kinds.join(", "))
    };
    let field = if SERVED.iter().any(|a| a.kind.as_str() == kind.value) { "apiVersion" } else { "kind" };
    let span = if field == "apiVersion" { api_version.span } else { kind.span };
    ctx.d.error(span, &root.field(field), message).hint = Some(hint);
    None
}
