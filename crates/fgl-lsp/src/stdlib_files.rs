//! The standard library as files an editor can open: go to definition into `std/aws` lands in
//! a read-only copy of its source, written once per stdlib version under the user's cache
//! directory (`$XDG_CACHE_HOME/fgl/std-<hash>/aws.fgl`). A real file works in every client,
//! where a virtual `fgl-std:` document would need client-side support in each editor.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use fgl_check::stdlib;

/// Writes the stdlib files (when missing) and returns their directory, or None when no cache
/// directory is writable (definitions into the stdlib are then not offered).
pub fn materialise(base: Option<PathBuf>) -> Option<PathBuf> {
    let base = base.or_else(cache_base)?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (name, source) in stdlib::MODULES {
        name.hash(&mut hasher);
        source.hash(&mut hasher);
    }
    let dir = base.join(format!("std-{:016x}", hasher.finish()));
    std::fs::create_dir_all(&dir).ok()?;
    for (name, source) in stdlib::MODULES {
        let path = dir.join(format!("{name}.fgl"));
        if std::fs::read_to_string(&path).is_ok_and(|s| s == *source) {
            continue;
        }
        // Written beside and renamed, so that a reader never sees half a file.
        let tmp = dir.join(format!(".{name}.fgl.{}", std::process::id()));
        let _ = make_writable(&path);
        std::fs::write(&tmp, source).ok()?;
        let _ = make_read_only(&tmp);
        std::fs::rename(&tmp, &path).ok()?;
    }
    Some(dir)
}

/// The name a stdlib module's file has in a program (`<std>/aws.fgl`) → its file name.
pub fn file_name(display_name: &str) -> Option<&str> {
    display_name.strip_prefix("<std>/")
}

/// Whether `path` is one of the materialised stdlib files.
pub fn is_std_path(dir: Option<&Path>, path: &Path) -> bool {
    dir.is_some_and(|dir| path.starts_with(dir))
}

fn cache_base() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FGL_STD_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => match std::env::var_os("HOME") {
            Some(home) if !home.is_empty() => PathBuf::from(home).join(".cache"),
            _ => std::env::temp_dir(),
        },
    };
    Some(base.join("fgl"))
}

fn make_read_only(path: &Path) -> std::io::Result<()> {
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(path, perms)
}

#[allow(clippy::permissions_set_readonly_false)]
fn make_writable(path: &Path) -> std::io::Result<()> {
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_readonly(false);
    std::fs::set_permissions(path, perms)
}
