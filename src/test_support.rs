//! What only the integration tests call: readers and builders no screen or feature uses. They
//! live here, in one place, so everything else can stay `pub(crate)` unless another crate
//! needs it, and the compiler keeps reporting what nothing uses. Inherent methods may be
//! written in any module of the crate; callers see them where they always were.

use crate::app::forms::Field;
use crate::app::remote::Remote;

impl<T, E> Remote<T, E> {
    /// A read is on its way (the screens show the last good data instead).
    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading { .. })
    }
}

impl Field {
    /// Let the field hold several lines (a pasted certificate, a JSON document); no form asks
    /// for one yet, the input tests do.
    pub fn multiline(mut self) -> Field {
        self.multiline = true;
        self
    }
}
