//! The words figures and tables are labelled with, per language.

use crate::locale::Lang;

pub struct Words {
    pub figure: &'static str,
    pub figure_lower: &'static str,
    pub table: &'static str,
    pub table_lower: &'static str,
    pub source: &'static str,
    pub show_data: &'static str,
    pub missing: &'static str,
    pub missing_note: &'static str,
    pub total: &'static str,
    pub target: &'static str,
    pub target_met: &'static str,
    pub target_not_met: &'static str,
    pub compared_to: &'static str,
    pub percentage_point: &'static str,
    pub percentage_points: &'static str,
    pub unchanged: &'static str,
    pub incomplete_note: &'static str,
    pub key_figures: &'static str,
    pub no_data_for: &'static str,
    pub rank: &'static str,
}

impl Words {
    pub fn new(lang: Lang) -> Words {
        match lang {
            Lang::Nl => Words {
                figure: "Figuur",
                figure_lower: "figuur",
                table: "Tabel",
                table_lower: "tabel",
                source: "Bron",
                show_data: "Bekijk de cijfers",
                missing: "geen gegevens",
                missing_note: "– = geen gegevens beschikbaar.",
                total: "Totaal",
                target: "Streefcijfer",
                target_met: "gehaald",
                target_not_met: "niet gehaald",
                compared_to: "ten opzichte van",
                percentage_point: "procentpunt",
                percentage_points: "procentpunt",
                unchanged: "gelijk gebleven",
                incomplete_note: "Gebaseerd op onvolledige gegevens.",
                key_figures: "Kerncijfers",
                no_data_for: "Geen gegevens voor",
                rank: "Positie",
            },
            Lang::En => Words {
                figure: "Figure",
                figure_lower: "figure",
                table: "Table",
                table_lower: "table",
                source: "Source",
                show_data: "Show the data",
                missing: "no data",
                missing_note: "– = no data available.",
                total: "Total",
                target: "Target",
                target_met: "met",
                target_not_met: "not met",
                compared_to: "compared to",
                percentage_point: "percentage point",
                percentage_points: "percentage points",
                unchanged: "unchanged",
                incomplete_note: "Based on incomplete data.",
                key_figures: "Key figures",
                no_data_for: "No data for",
                rank: "Rank",
            },
        }
    }
}
