//! The one place values are turned into bytes: a format-version byte, then bincode.
//!
//! A later change of format is a change of this module only: bump the version, keep a decoder
//! for the old one.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Format of every stored value and journal payload written now: bincode with variable-length
/// integers (lengths and tags take a byte, not eight: a case state is about a third smaller).
pub const FORMAT_VERSION: u8 = 2;
/// The first format: bincode with fixed-width integers. Still read.
const FIXED_WIDTH: u8 = 1;

/// Bounded so that a corrupted length prefix cannot ask for gigabytes.
const LIMIT: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("empty value")]
    Empty,
    #[error("stored with format version {0}, this build reads versions {FIXED_WIDTH} and {FORMAT_VERSION}")]
    Version(u8),
    #[error("cannot decode: {0}")]
    Decode(String),
    #[error("cannot encode: {0}")]
    Encode(String),
}

fn options() -> impl bincode::Options {
    use bincode::Options;
    bincode::DefaultOptions::new()
        .with_varint_encoding()
        .allow_trailing_bytes()
        .with_limit(LIMIT)
}

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    use bincode::Options;
    let mut bytes = vec![FORMAT_VERSION];
    options()
        .serialize_into(&mut bytes, value)
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(bytes)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    use bincode::Options;
    let decoded = match bytes.split_first() {
        None => return Err(CodecError::Empty),
        Some((&FORMAT_VERSION, rest)) => options().deserialize(rest),
        Some((&FIXED_WIDTH, rest)) => bincode::DefaultOptions::new()
            .with_fixint_encoding()
            .allow_trailing_bytes()
            .with_limit(LIMIT)
            .deserialize(rest),
        Some((&version, _)) => return Err(CodecError::Version(version)),
    };
    decoded.map_err(|e| CodecError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_format_is_still_read() {
        let value = (7u64, String::from("Әсел"), Some(3i64));
        let mut v1 = vec![FIXED_WIDTH];
        bincode::serialize_into(&mut v1, &value).unwrap();
        assert_eq!(decode::<(u64, String, Option<i64>)>(&v1).unwrap(), value);
        let v2 = encode(&value).unwrap();
        assert!(v2.len() < v1.len());
        assert_eq!(decode::<(u64, String, Option<i64>)>(&v2).unwrap(), value);
    }
}
