//! Reading figures: every `.csv`, `.yaml` and `.yml` under `data/` becomes a [`DataTable`].
//!
//! (Placeholder until the data module lands: loads nothing.)

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;

#[derive(Debug, Default)]
pub struct DataStore {
    tables: BTreeMap<String, DataTable>,
}

#[derive(Debug, serde::Serialize)]
pub struct DataTable {}

impl DataStore {
    pub fn load(_site_root: &Path) -> Result<DataStore, Vec<Diagnostic>> {
        Ok(DataStore::default())
    }
    pub fn get(&self, name: &str) -> Option<&DataTable> {
        self.tables.get(name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }
}
