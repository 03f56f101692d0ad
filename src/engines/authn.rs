//! Authentication as a client and the API server see it: kubeconfig files
//! as client-go reads them, ServiceAccount tokens and the identity the API
//! server derives from them, and whether a pod gets an API token mounted.
//!
//! ```text
//! kubeconfig   clientcmd: load, Validate, the effective context, cluster,
//!              user and namespace kubectl uses
//! token        ServiceAccount JWTs (legacy and bound): claims -> user info
//! automount    the ServiceAccount admission plugin: which account a pod
//!              runs as and whether its API token is mounted
//! ```
//! Pure: values in, facts and upstream-worded errors out.

pub mod automount;
pub mod kubeconfig;
pub mod token;
