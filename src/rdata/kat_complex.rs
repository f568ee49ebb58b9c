//! Known-answer tests for the types with code of their own: bytes written
//! by hand from the RFC examples.
