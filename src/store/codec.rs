//! The one place values are turned into bytes: a format-version byte, then bincode.
//!
//! A later change of format is a change of this module only: bump the version, keep a decoder
//! for the old one.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Format of every stored value and journal payload.
pub const FORMAT_VERSION: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("empty value")]
    Empty,
    #[error("stored with format version {0}, this build reads version {FORMAT_VERSION}")]
    Version(u8),
    #[error("cannot decode: {0}")]
    Decode(String),
    #[error("cannot encode: {0}")]
    Encode(String),
}

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut bytes = vec![FORMAT_VERSION];
    bincode::serialize_into(&mut bytes, value).map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(bytes)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    match bytes.split_first() {
        None => Err(CodecError::Empty),
        Some((&FORMAT_VERSION, rest)) => {
            // Bounded so that a corrupted length prefix cannot ask for gigabytes.
            use bincode::Options;
            bincode::DefaultOptions::new()
                .with_fixint_encoding()
                .allow_trailing_bytes()
                .with_limit(16 * 1024 * 1024)
                .deserialize(rest)
                .map_err(|e| CodecError::Decode(e.to_string()))
        }
        Some((&version, _)) => Err(CodecError::Version(version)),
    }
}
