"""Tools for spec authors: introspection of live APIs and drafting of specs (`apicompat init`)."""
