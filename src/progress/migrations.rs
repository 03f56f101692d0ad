//! The schema's migrations, one append-only SQL file each under
//! `migrations/`; the version lives in `PRAGMA user_version`.

use rusqlite_migration::{M, Migrations};

// A separate const slice: `from_slice(&[...])` inline in a const does not
// compile (a destructor in a const).
const SLICE: &[M<'static>] = &[M::up(include_str!("migrations/0001_initial.sql"))];

pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(SLICE);

/// The schema version this build writes.
pub const LATEST: usize = SLICE.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().expect("migrations apply cleanly");
    }

    #[test]
    fn latest_version_is_recorded() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, LATEST);
    }
}
