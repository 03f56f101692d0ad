//! UI strings in the two languages the product speaks. Strings sit where
//! they are used, as `t(lang, "English", "한국어")` pairs, so a screen
//! reads as what it shows; Korean follows kubernetes.io/ko terms.

use crate::content::Lang;

pub fn t<'a>(lang: Lang, en: &'a str, ko: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}
