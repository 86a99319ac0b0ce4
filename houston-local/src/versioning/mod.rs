//! Houston versions: which version a server reports (`Config::houston_version`) and what each
//! version exposes. The whole schema is built once (it is the 0.35 schema of `schema.graphql`);
//! a version hides what it lacks in two coordinated ways, both driven by [`table::SWITCH_POINTS`]:
//!
//! - `visible` hooks (`since_0_25` …) on the gated fields and arguments hide them from
//!   introspection (async-graphql only filters introspection with them: validation still
//!   accepts an invisible field, which is why the second part exists);
//! - [`extension::VersionGate`] checks every document against the table before it runs and
//!   refuses what the version lacks with the same errors as an unknown field or argument, then
//!   gives 0.23 responses their own wire shapes ([`shape`]).
//!
//! A test compares the hooks with the table at every switch point.

pub(crate) mod check;
pub(crate) mod extension;
pub mod index;
pub(crate) mod sdl;
pub(crate) mod shape;
pub mod table;
pub(crate) mod version;

use std::sync::Arc;

use async_graphql::Context;

use crate::state::State;
pub use version::{HoustonVersion, VersionError};
pub(crate) use version::{
    V0_25, V0_28, V0_29, V0_29_2, V0_30, V0_32, V0_35, V1_0, V1_0_1, V2_0, V2_1,
};

/// The version the server of this request reports, or the request's own (`sdl::sdl_at`
/// introspects a version without a server); everything when there is neither, e.g. while
/// exporting the whole SDL.
pub(crate) fn current(ctx: &Context<'_>) -> HoustonVersion {
    ctx.data_opt::<Arc<State>>()
        .map(|s| s.houston_version)
        .or_else(|| ctx.data_opt::<HoustonVersion>().copied())
        .unwrap_or_default()
}

// `visible` hooks, one per switch point of `table::SWITCH_POINTS` (a hook cannot know which
// field it guards, so each gated field names its switch point).
pub(crate) fn since_0_25(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_25
}
pub(crate) fn since_0_28(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_28
}
pub(crate) fn since_0_29(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_29
}
pub(crate) fn since_0_29_2(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_29_2
}
pub(crate) fn since_0_30(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_30
}
pub(crate) fn since_0_32(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_32
}
pub(crate) fn since_0_35(ctx: &Context<'_>) -> bool {
    current(ctx) >= V0_35
}
pub(crate) fn since_1_0(ctx: &Context<'_>) -> bool {
    current(ctx) >= V1_0
}
pub(crate) fn since_2_0(ctx: &Context<'_>) -> bool {
    current(ctx) >= V2_0
}
pub(crate) fn since_2_1(ctx: &Context<'_>) -> bool {
    current(ctx) >= V2_1
}

// `visible` hooks of the removals (`table::REMOVALS`): the field exists before that version.
pub(crate) fn before_1_0_1(ctx: &Context<'_>) -> bool {
    current(ctx) < V1_0_1
}
pub(crate) fn before_2_0(ctx: &Context<'_>) -> bool {
    current(ctx) < V2_0
}
pub(crate) fn from_0_25_before_2_0(ctx: &Context<'_>) -> bool {
    since_0_25(ctx) && before_2_0(ctx)
}
pub(crate) fn from_0_28_before_2_0(ctx: &Context<'_>) -> bool {
    since_0_28(ctx) && before_2_0(ctx)
}
