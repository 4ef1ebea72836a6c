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

use crate::error::{Result, StoreError};

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
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
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

/// The lock file beside a database file.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn lock_file(database: &Path) -> Result<File> {
    let path = lock_path(database);
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
