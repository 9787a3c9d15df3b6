//! The drawer's inspection tools, one tab each: the policy connectivity Matrix, kube-proxy's
//! Proxy rules and DNS lookups. Each shows what core computes and decides nothing itself.

mod dns;
mod matrix;
mod proxy_rules;

pub use dns::DnsTab;
pub use matrix::MatrixTab;
pub use proxy_rules::ProxyRulesTab;
