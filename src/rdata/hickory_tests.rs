//! Golden tests against hickory-proto.
