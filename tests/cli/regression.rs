//! One test per fixed bug, named after its issue number, with a line on
//! what broke. None yet.
