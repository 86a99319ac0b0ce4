//! Drawing only: one module per screen, shared widgets, theme. Never mutates state or does I/O.
