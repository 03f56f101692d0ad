//! X.509 as a Kubernetes cluster needs it: does this certificate chain to
//! the cluster CA, is it in its validity window, may it be used for this
//! role (serverAuth vs clientAuth), does it carry the SANs its clients
//! check, does the key belong to it, and which identity does the API
//! server derive from it (CN = user, each O = a group).
//!
//! ```text
//! pem, der     PEM blocks and the DER inside private keys
//! keys         private keys reduced to their public half
//! cert         certificates and requests as owned facts
//! material     what a file holds: PEM, DER, kubeconfig, CSR object, Secret
//! names        SAN matching as Go clients do it; kubeadm's apiserver SANs
//! signers      CSR admission (system:masters) and the built-in signers' rules
//! check        the checks and the report
//! timefmt      dates as kubeadm prints them
//! ```
//! Pure: bytes and the current time in, a report out.

pub mod cert;
pub mod check;
pub mod der;
pub mod keys;
pub mod material;
pub mod names;
pub mod pem;
pub mod signers;
pub mod timefmt;

pub use cert::{CertInfo, CsrInfo};
pub use check::{CheckName, Finding, Identity, Options, Report, check};
pub use material::{Material, MaterialError, Want, read};

use serde::Serialize;

/// The certificates of a kubeadm PKI, by what they are for
/// (upstream: cmd/kubeadm/app/phases/certs/certlist.go).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// `ca.crt`: a self-signed CA (basicConstraints CA, keyCertSign).
    Ca,
    /// `apiserver.crt`: serverAuth, with the SANs kubeadm gives it.
    Apiserver,
    /// Any serving certificate: serverAuth, and the `--san` names.
    Server,
    /// A user's or component's client certificate: clientAuth.
    Client,
    /// `apiserver-kubelet-client.crt`: clientAuth, presented by the API
    /// server to kubelets.
    KubeletClient,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ca => "ca",
            Role::Apiserver => "apiserver",
            Role::Server => "server",
            Role::Client => "client",
            Role::KubeletClient => "kubelet-client",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "ca" => Role::Ca,
            "apiserver" => Role::Apiserver,
            "server" => Role::Server,
            "client" => Role::Client,
            "kubelet-client" => Role::KubeletClient,
            _ => return None,
        })
    }

    fn needs_server_auth(self) -> bool {
        matches!(self, Role::Apiserver | Role::Server)
    }

    fn needs_client_auth(self) -> bool {
        matches!(self, Role::Client | Role::KubeletClient)
    }
}

#[cfg(test)]
mod tests;
