//! Reading figures: every `.csv`, `.yaml` and `.yml` under `data/` becomes a [`DataTable`].
//!
//! (Being built: see the data issue.)
