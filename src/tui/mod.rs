//! The counter TUI, in The Elm Architecture: [`state::State`] with `update`, and
//! [`view::view`], which only draws. It reaches the core through [`core::Core`] only.

pub mod backend;
pub mod board;
pub mod board_loop;
pub mod core;
pub mod i18n;
pub mod keymap;
pub mod runtime;
pub mod state;
pub mod theme;
pub mod view;

pub use crate::countdown;
