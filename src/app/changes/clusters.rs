//! The Clusters view's change (Houston 1.0+): a system admin renames a cluster.

use super::{Change, change};
use crate::app::forms::FormKind;
use crate::app::keymap::cond::{Cap, Cond::*};
use crate::keys::Action;

pub(super) fn rows() -> Vec<Change> {
    vec![change(
        Action::Edit,
        "rename the cluster",
        Some("rename"),
        &[Writable, HasRow, Can(Cap::UpdateCluster)],
        |state| {
            super::form(
                state
                    .selected::<crate::app::clusters::ClusterRow>()
                    .map(|row| FormKind::RenameCluster(row.cluster.id)),
            )
        },
    )]
}
