//! `ValidateNetworkPolicy` (pkg/apis/networking/validation/validation.go)
//! for a new object, after the API server's defaulting: selectors, ports
//! (protocol TCP/UDP/SCTP exactly, port range, endPort rules, port names),
//! peers (at least one kind; ipBlock alone), ipBlock CIDRs and excepts,
//! and policyTypes.

use crate::engines::netpol::cidr::Cidr;
use crate::model::FieldPath;
use crate::validate::field::{BadValue, FieldError, is_valid_port_name, is_valid_port_num};
use crate::validate::selector::{SelectorOptions, validate_label_selector};
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const CIDR_MSG: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// Spec errors (metadata is validated by the shared object-meta rules).
pub fn validate(np: &NetworkPolicy) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = &np.spec else {
        return errs;
    };
    let path = FieldPath::root().field("spec");
    let opts = SelectorOptions::default();
    errs.extend(validate_label_selector(
        spec.pod_selector.as_ref(),
        opts,
        &path.field("podSelector"),
    ));
    for (i, rule) in spec.ingress.iter().flatten().enumerate() {
        let rp = path.field("ingress").index(i);
        for (j, port) in rule.ports.iter().flatten().enumerate() {
            errs.extend(validate_port(port, &rp.field("ports").index(j)));
        }
        for (j, peer) in rule.from.iter().flatten().enumerate() {
            errs.extend(validate_peer(peer, opts, &rp.field("from").index(j)));
        }
    }
    for (i, rule) in spec.egress.iter().flatten().enumerate() {
        let rp = path.field("egress").index(i);
        for (j, port) in rule.ports.iter().flatten().enumerate() {
            errs.extend(validate_port(port, &rp.field("ports").index(j)));
        }
        for (j, peer) in rule.to.iter().flatten().enumerate() {
            errs.extend(validate_peer(peer, opts, &rp.field("to").index(j)));
        }
    }
    let types = spec.policy_types.as_deref().unwrap_or_default();
    let tp = path.field("policyTypes");
    if types.len() > 2 {
        let quoted: Vec<String> = types.iter().map(|t| format!("{t:?}")).collect();
        errs.push(FieldError::invalid(
            &tp,
            BadValue::Raw(format!("[]networking.PolicyType{{{}}}", quoted.join(", "))),
            "may not specify more than two policyTypes",
        ));
        return errs;
    }
    for (i, t) in types.iter().enumerate() {
        if t != "Ingress" && t != "Egress" {
            errs.push(FieldError::not_supported(
                &tp.index(i),
                t.as_str(),
                &["Ingress", "Egress"],
            ));
        }
    }
    errs
}

/// upstream: ValidateNetworkPolicyPort. A missing protocol was defaulted
/// to TCP before validation.
fn validate_port(port: &NetworkPolicyPort, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(p) = port.protocol.as_deref()
        && !matches!(p, "TCP" | "UDP" | "SCTP")
    {
        errs.push(FieldError::not_supported(
            &path.field("protocol"),
            p,
            &["TCP", "UDP", "SCTP"],
        ));
    }
    match &port.port {
        Some(IntOrString::Int(n)) => {
            for msg in is_valid_port_num((*n).into()) {
                errs.push(FieldError::invalid(&path.field("port"), *n, msg));
            }
            if let Some(end) = port.end_port {
                if end < *n {
                    errs.push(FieldError::invalid(
                        &path.field("endPort"),
                        end,
                        "must be greater than or equal to `port`",
                    ));
                }
                for msg in is_valid_port_num(end.into()) {
                    errs.push(FieldError::invalid(&path.field("endPort"), end, msg));
                }
            }
        }
        Some(IntOrString::String(name)) => {
            if let Some(end) = port.end_port {
                errs.push(FieldError::invalid(
                    &path.field("endPort"),
                    end,
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for msg in is_valid_port_name(name) {
                errs.push(FieldError::invalid(&path.field("port"), name.as_str(), msg));
            }
        }
        None => {
            if let Some(end) = port.end_port {
                errs.push(FieldError::invalid(
                    &path.field("endPort"),
                    end,
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
    errs
}

/// upstream: ValidateNetworkPolicyPeer.
fn validate_peer(
    peer: &NetworkPolicyPeer,
    opts: SelectorOptions,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut kinds = 0;
    if let Some(ps) = &peer.pod_selector {
        kinds += 1;
        errs.extend(validate_label_selector(
            Some(ps),
            opts,
            &path.field("podSelector"),
        ));
    }
    if let Some(ns) = &peer.namespace_selector {
        kinds += 1;
        errs.extend(validate_label_selector(
            Some(ns),
            opts,
            &path.field("namespaceSelector"),
        ));
    }
    if let Some(b) = &peer.ip_block {
        kinds += 1;
        errs.extend(validate_ip_block(b, &path.field("ipBlock")));
    }
    if kinds == 0 {
        errs.push(FieldError::required(path, "must specify a peer"));
    } else if kinds > 1 && peer.ip_block.is_some() {
        errs.push(FieldError::forbidden(
            path,
            "may not specify both ipBlock and another peer",
        ));
    }
    errs
}

/// upstream: ValidateIPBlock, with StrictIPCIDRValidation off (its default).
fn validate_ip_block(b: &IPBlock, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if b.cidr.is_empty() {
        errs.push(FieldError::required(&path.field("cidr"), ""));
        return errs;
    }
    let Some(cidr) = Cidr::parse(&b.cidr) else {
        errs.push(FieldError::invalid(
            &path.field("cidr"),
            b.cidr.as_str(),
            CIDR_MSG,
        ));
        return errs;
    };
    for (i, e) in b.except.iter().flatten().enumerate() {
        let ep = path.field("except").index(i);
        let Some(except) = Cidr::parse(e) else {
            errs.push(FieldError::invalid(&ep, e.as_str(), CIDR_MSG));
            continue;
        };
        if !cidr.contains(except.addr) || cidr.prefix >= except.prefix {
            errs.push(FieldError::invalid(
                &ep,
                e.as_str(),
                "must be a strict subset of `cidr`",
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(spec_yaml: &str) -> NetworkPolicy {
        let doc = format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: foo, namespace: bar}}\nspec:\n{spec_yaml}"
        );
        let v: serde_json::Value = serde_saphyr::from_str(&doc).expect("yaml");
        serde_json::from_value(v).expect("decodes")
    }

    fn errs(spec_yaml: &str) -> Vec<String> {
        validate(&policy(spec_yaml))
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    // upstream: pkg/apis/networking/validation/validation_test.go
    // TestValidateNetworkPolicy successCases.
    #[test]
    fn upstream_success_cases() {
        let ok = [
            "  podSelector: {matchLabels: {a: b}}\n  ingress: [{}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - from: []\n    ports: [{}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - ports:\n    - port: 80\n    - protocol: TCP\n    - {protocol: TCP, port: 443}\n    - {protocol: UDP, port: dns}\n    - {protocol: SCTP, port: 7777}\n",
            "  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {c: d}}}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {c: d}}}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {e: f}}, namespaceSelector: {matchLabels: {c: d}}}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  egress:\n  - to: [{namespaceSelector: {matchLabels: {c: d}}}]\n  ingress:\n  - from: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  egress:\n  - to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]\n  policyTypes: [Egress]\n",
            "  podSelector: {matchLabels: {a: b}}\n  egress:\n  - to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]\n  policyTypes: [Ingress, Egress]\n",
            "  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - from: [{ipBlock: {cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64', 'fd00:192:168:4::/64']}}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  egress:\n  - ports: [{port: 32000, endPort: 32768}, {protocol: UDP, port: dns}]\n",
            "  podSelector: {matchLabels: {a: b}}\n  egress:\n  - to: [{namespaceSelector: {matchLabels: {c: d}}}]\n    ports: [{port: 30000, endPort: 32768}, {port: 32000, endPort: 32768}]\n  ingress:\n  - from: [{podSelector: {matchLabels: {e: f}}}]\n    ports: [{protocol: TCP, port: 32768, endPort: 32768}]\n",
        ];
        for (i, spec) in ok.iter().enumerate() {
            assert_eq!(errs(spec), Vec::<String>::new(), "success case {i}");
        }
    }

    // upstream: validation_test.go TestValidateNetworkPolicy errorCases,
    // each with the message ValidateNetworkPolicy words.
    #[test]
    fn upstream_error_cases() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "namespaceSelector and ipBlock",
                "  ingress:\n  - from: [{namespaceSelector: {matchLabels: {c: d}}, ipBlock: {cidr: 192.168.0.0/16}}]\n",
                "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer",
            ),
            (
                "podSelector and ipBlock",
                "  egress:\n  - to: [{podSelector: {matchLabels: {c: d}}, ipBlock: {cidr: 192.168.0.0/16}}]\n",
                "spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer",
            ),
            (
                "missing from and to type",
                "  ingress:\n  - from: [{}]\n",
                "spec.ingress[0].from[0]: Required value: must specify a peer",
            ),
            (
                "invalid ingress.ports.protocol",
                "  ingress:\n  - ports: [{protocol: ICMP, port: 80}]\n",
                "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
            ),
            (
                "invalid ingress.ports.port (int)",
                "  ingress:\n  - ports: [{protocol: TCP, port: 123456789}]\n",
                "spec.ingress[0].ports[0].port: Invalid value: 123456789: must be between 1 and 65535, inclusive",
            ),
            (
                "invalid ingress.ports.port (str)",
                "  ingress:\n  - ports: [{protocol: TCP, port: '!@#$'}]\n",
                "spec.ingress[0].ports[0].port: Invalid value: \"!@#$\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            ),
            (
                "missing cidr field",
                "  ingress:\n  - from: [{ipBlock: {cidr: ''}}]\n",
                "spec.ingress[0].from[0].ipBlock.cidr: Required value",
            ),
            (
                "invalid cidr format",
                "  ingress:\n  - from: [{ipBlock: {cidr: 192.168.5.6}}]\n",
                "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"192.168.5.6\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ),
            (
                "invalid ipv6 cidr format",
                "  ingress:\n  - from: [{ipBlock: {cidr: 'fd00:192:168::'}}]\n",
                "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"fd00:192:168::\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ),
            (
                "except field is an empty string",
                "  ingress:\n  - from: [{ipBlock: {cidr: 192.168.0.0/16, except: ['']}}]\n",
                "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ),
            (
                "except field is an invalid ip",
                "  ingress:\n  - from: [{ipBlock: {cidr: 192.168.0.0/16, except: [300.300.300.300]}}]\n",
                "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"300.300.300.300\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ),
            (
                "except IP is outside of CIDR range",
                "  ingress:\n  - from: [{ipBlock: {cidr: 192.168.8.0/24, except: [192.168.9.1/32]}}]\n",
                "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"192.168.9.1/32\": must be a strict subset of `cidr`",
            ),
            (
                "except IP is not strictly within CIDR range",
                "  ingress:\n  - from: [{ipBlock: {cidr: 192.168.0.0/24, except: [192.168.0.0/24]}}]\n",
                "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"192.168.0.0/24\": must be a strict subset of `cidr`",
            ),
            (
                "except IPv6 is outside of CIDR range",
                "  ingress:\n  - from: [{ipBlock: {cidr: 'fd00:192:168:1::/64', except: ['fd00:192:168:2::/64']}}]\n",
                "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"fd00:192:168:2::/64\": must be a strict subset of `cidr`",
            ),
            (
                "invalid policyTypes",
                "  policyTypes: [foo, bar]\n",
                "spec.policyTypes[0]: Unsupported value: \"foo\": supported values: \"Ingress\", \"Egress\"",
            ),
            (
                "too many policyTypes",
                "  policyTypes: [foo, bar, baz]\n",
                "spec.policyTypes: Invalid value: []networking.PolicyType{\"foo\", \"bar\", \"baz\"}: may not specify more than two policyTypes",
            ),
            (
                "multiple ports defined, one port range is invalid",
                "  egress:\n  - ports: [{protocol: UDP, port: 35000, endPort: 32768}, {port: 32000, endPort: 32768}]\n",
                "spec.egress[0].ports[0].endPort: Invalid value: 32768: must be greater than or equal to `port`",
            ),
            (
                "endPort defined with named/string port",
                "  egress:\n  - ports: [{protocol: UDP, port: dns, endPort: 32768}]\n",
                "spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when `port` is non-numeric",
            ),
            (
                "endPort defined without port defined",
                "  egress:\n  - ports: [{protocol: TCP, endPort: 32768}]\n",
                "spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when `port` is not specified",
            ),
            (
                "invalid endport range defined",
                "  egress:\n  - ports: [{protocol: TCP, port: 30000, endPort: 65537}]\n",
                "spec.egress[0].ports[0].endPort: Invalid value: 65537: must be between 1 and 65535, inclusive",
            ),
        ];
        for (name, spec, want) in cases {
            let got = errs(spec);
            assert!(
                got.iter().any(|g| g == want),
                "{name}: want {want:?}, got {got:?}"
            );
        }
    }

    // The trap the issue names: protocols are case-sensitive.
    #[test]
    fn lower_case_protocol_is_rejected() {
        assert_eq!(
            errs("  ingress:\n  - ports: [{protocol: tcp, port: 80}]\n"),
            [
                "spec.ingress[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"TCP\", \"UDP\", \"SCTP\""
            ]
        );
    }

    #[test]
    fn multiple_invalid_port_ranges_are_all_reported() {
        // upstream: "multiple invalid port ranges defined".
        let got = errs(
            "  egress:\n  - ports: [{protocol: UDP, port: 35000, endPort: 32768}, {protocol: TCP, endPort: 32768}, {protocol: TCP, port: https, endPort: 32768}]\n",
        );
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn selectors_in_peers_are_validated() {
        // upstream: "invalid ingress.from.podSelector", "invalid
        // egress.to.podSelector", "invalid ingress.from.namespaceSelector".
        for (spec, prefix) in [
            (
                "  ingress:\n  - from: [{podSelector: {matchLabels: {'NoUppercaseOrSpecialCharsLike=Equals': b}}}]\n",
                "spec.ingress[0].from[0].podSelector.matchLabels: Invalid value",
            ),
            (
                "  egress:\n  - to: [{podSelector: {matchLabels: {'NoUppercaseOrSpecialCharsLike=Equals': b}}}]\n",
                "spec.egress[0].to[0].podSelector.matchLabels: Invalid value",
            ),
            (
                "  ingress:\n  - from: [{namespaceSelector: {matchExpressions: [{key: team, operator: In}]}}]\n",
                "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: Required value",
            ),
        ] {
            let got = errs(spec);
            assert!(got.iter().any(|g| g.starts_with(prefix)), "{got:?}");
        }
    }
}
