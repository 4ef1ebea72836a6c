//! The SQLite database file a store opened, watched for the operator's
//! mistakes: a file deleted or replaced under a running server would
//! otherwise take acknowledged writes into an unlinked inode, and a restore
//! while a server runs would corrupt both.
//!
//! Every process that opens the file through [`crate::Store`] holds a shared
//! lock on a lock file beside it; `restore` takes the exclusive lock, so it
//! cannot replace a file anyone is using. The lock is a separate file
//! because closing any descriptor of the database file itself would drop
//! SQLite's own POSIX locks on it.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Result, StoreError};

/// The first sign of a malformed database file this process met: pages
/// that fail on one request fail on the next, so `/healthz` reports it
/// until the file is restored and the server restarted. One process serves
/// one database.
static DAMAGE: Mutex<Option<String>> = Mutex::new(None);

pub(crate) fn damage_seen(err: &sqlx::Error) {
    if let Ok(mut damage) = DAMAGE.lock() {
        damage.get_or_insert_with(|| err.to_string());
    }
}

/// What SQLite said when it first found the file malformed, if it did.
pub fn damage() -> Option<String> {
    DAMAGE.lock().ok().and_then(|d| d.clone())
}

/// Free space below which `/healthz` reports the database unwritable: a
/// write that fits in WAL pages already allocated succeeds on a full disk,
/// so a probe write cannot tell; a checkpoint needs room for the WAL.
pub const MIN_FREE_BYTES: u64 = 2 * crate::WAL_SIZE_LIMIT;

/// What happened to the database file since it was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    Deleted,
    Replaced,
}

impl std::fmt::Display for FileChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileChange::Deleted => "deleted",
            FileChange::Replaced => "replaced by another file",
        })
    }
}

/// The device and inode that name one file whatever its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
}

impl Identity {
    fn of(path: &Path) -> std::io::Result<Identity> {
        let meta = std::fs::metadata(path)?;
        Ok(Identity {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }
}

/// An open database file: its path, which file that path named when it was
/// opened, and this process's shared lock on it.
#[derive(Debug)]
pub struct DatabaseFile {
    path: PathBuf,
    identity: Identity,
    _lock: File,
    min_free: AtomicU64,
    /// The server's own lock, held while this process serves the file.
    serving: Mutex<Option<File>>,
}

impl DatabaseFile {
    /// Takes the shared lock and records which file `path` names now.
    pub(crate) fn open(path: &Path) -> Result<DatabaseFile> {
        let lock = lock_file(path)?;
        if lock.try_lock_shared().is_err() {
            return Err(StoreError::InUse(path.to_path_buf()));
        }
        let identity = Identity::of(path).map_err(|source| StoreError::Io {
            what: format!("the database file {}", path.display()),
            source,
        })?;
        Ok(DatabaseFile {
            path: path.to_path_buf(),
            identity,
            _lock: lock,
            min_free: AtomicU64::new(MIN_FREE_BYTES),
            serving: Mutex::new(None),
        })
    }

    /// Takes the exclusive server lock, held until this process exits:
    /// two servers on one file would each keep answers the other's writes
    /// made stale, and each would run the background jobs.
    pub fn claim_for_serving(&self) -> Result<()> {
        let path = with_suffix(&real_path(&self.path), ".serve.lock");
        let lock = open_lock(&path)?;
        if lock.try_lock().is_err() {
            return Err(StoreError::Served(self.path.clone()));
        }
        if let Ok(mut serving) = self.serving.lock() {
            *serving = Some(lock);
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sets the free space below which the file counts as unwritable
    /// (default [`MIN_FREE_BYTES`]).
    pub fn set_min_free_bytes(&self, bytes: u64) {
        self.min_free.store(bytes, Ordering::Relaxed);
    }

    /// Refuses when the file system holding the database has less free
    /// space (for this unprivileged process) than the minimum.
    pub fn check_space(&self) -> std::result::Result<(), String> {
        let folder = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let free = free_bytes(folder)
            .map_err(|e| format!("could not read the free space of {}: {e}", folder.display()))?;
        let min = self.min_free.load(Ordering::Relaxed);
        if free < min {
            return Err(format!(
                "{} has {free} bytes free, under the {min} writes need",
                folder.display()
            ));
        }
        Ok(())
    }

    /// Whether the path still names the file opened.
    pub fn change(&self) -> Option<FileChange> {
        match Identity::of(&self.path) {
            Ok(now) if now == self.identity => None,
            Ok(_) => Some(FileChange::Replaced),
            Err(_) => Some(FileChange::Deleted),
        }
    }

    /// Refuses, with a logged error, to write to a file that is no longer
    /// the one the path names: the write would be acknowledged and lost.
    pub(crate) fn check(&self) -> Result<()> {
        match self.change() {
            None => Ok(()),
            Some(change) => {
                tracing::error!(
                    file = %self.path.display(),
                    %change,
                    "refusing a write: the database file was {change} while the server ran; restart it (see docs/OPERATIONS.md)"
                );
                Err(StoreError::FileChanged {
                    path: self.path.clone(),
                    change,
                })
            }
        }
    }
}

/// Bytes an unprivileged process may still write on the file system
/// holding `folder`.
fn free_bytes(folder: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(folder.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `name` is a NUL-terminated path and `stats` a buffer of the
    // type statvfs fills; it is read only after statvfs succeeded.
    let stats = unsafe {
        if libc::statvfs(name.as_ptr(), stats.as_mut_ptr()) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        stats.assume_init()
    };
    #[allow(clippy::useless_conversion)] // the fields' widths vary by platform
    Ok(u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize)))
}

/// The path with every symbolic link resolved, so that one file has one
/// lock whichever path names it; a file not yet made is resolved through
/// its folder.
pub fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(folder), Some(name)) => {
            let folder = if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            };
            std::fs::canonicalize(folder)
                .map(|f| f.join(name))
                .unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The lock file beside a database file (beside the file itself, whatever
/// link names it).
pub fn lock_path(database: &Path) -> PathBuf {
    with_suffix(&real_path(database), ".lock")
}

fn lock_file(database: &Path) -> Result<File> {
    open_lock(&lock_path(database))
}

fn open_lock(path: &Path) -> Result<File> {
    let path = path.to_path_buf();
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .or_else(|err| {
            // A read-only folder may still hold a lock file made earlier.
            if err.kind() == std::io::ErrorKind::PermissionDenied {
                File::open(&path).map_err(|_| err)
            } else {
                Err(err)
            }
        })
        .map_err(|source| StoreError::Io {
            what: format!("the lock file {}", path.display()),
            source,
        })
}

/// The exclusive lock `restore` holds while it replaces the file: refused
/// while any process has the database open.
#[derive(Debug)]
pub struct ExclusiveLock {
    _file: File,
}

impl ExclusiveLock {
    pub fn take(database: &Path) -> Result<ExclusiveLock> {
        let lock = lock_file(database)?;
        if lock.try_lock().is_err() {
            return Err(StoreError::InUse(database.to_path_buf()));
        }
        Ok(ExclusiveLock { _file: lock })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempFolder;

    #[test]
    fn a_deleted_or_replaced_file_is_noticed() {
        let folder = TempFolder::new().expect("folder");
        let path = folder.path().join("db.sqlite3");
        std::fs::write(&path, b"one").expect("write");
        let file = DatabaseFile::open(&path).expect("open");
        assert_eq!(file.change(), None);
        let other = folder.path().join("other");
        std::fs::write(&other, b"two").expect("write");
        std::fs::rename(&other, &path).expect("rename");
        assert_eq!(file.change(), Some(FileChange::Replaced));
        assert!(matches!(file.check(), Err(StoreError::FileChanged { .. })));
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(file.change(), Some(FileChange::Deleted));
    }

    #[test]
    fn the_exclusive_lock_waits_for_every_shared_one() {
        let folder = TempFolder::new().expect("folder");
        let path = folder.path().join("db.sqlite3");
        std::fs::write(&path, b"").expect("write");
        let shared = DatabaseFile::open(&path).expect("open");
        let again = DatabaseFile::open(&path).expect("a second reader");
        assert!(matches!(
            ExclusiveLock::take(&path),
            Err(StoreError::InUse(_))
        ));
        drop(shared);
        assert!(ExclusiveLock::take(&path).is_err());
        drop(again);
        let exclusive = ExclusiveLock::take(&path).expect("no one else");
        assert!(matches!(
            DatabaseFile::open(&path),
            Err(StoreError::InUse(_))
        ));
        drop(exclusive);
    }
}
