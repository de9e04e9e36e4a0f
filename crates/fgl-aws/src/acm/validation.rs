//! `fgl::CertificateValidation`: not an AWS resource but a wait step, done when the
//! certificate is ISSUED.

pub(crate) const KIND: &str = "fgl::CertificateValidation";
