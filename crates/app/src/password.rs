//! Password hashing: argon2id, bounded so that a burst of sign-ins queues
//! instead of taking 19 MiB each at once.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

/// argon2id with OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
#[error("could not hash the password: {0}")]
pub struct HashError(pub String);

/// Hashes a password (slow on purpose: run it off the async threads).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// A valid hash of a password nobody knows, verified when the account does
/// not exist so that a sign-in takes as long either way.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("placeweave decoy password").unwrap_or_default());

/// Password verifications run since the process started (the throttle's
/// tests and benchmark read it to prove guesses stop at the limit).
static VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

pub fn password_verifications() -> u64 {
    VERIFICATIONS.load(Ordering::Relaxed)
}

pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let stored = hash.unwrap_or(DECOY_HASH.as_str());
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
    let ok = argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && hash.is_some()
}

/// Each hash or verification takes 19 MiB for a moment: as many at once as
/// there are cores, the rest wait their turn here (on the async side, not
/// as blocked threads), so a burst of sign-ins cannot take the memory of
/// hundreds of them at once.
static ARGON2_PERMITS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(
        std::thread::available_parallelism()
            .map(std::num::NonZeroUsize::get)
            .unwrap_or(1),
    )
});

/// Runs argon2 work off the async threads, within the permits.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    let permit = ARGON2_PERMITS
        .acquire()
        .await
        .map_err(|e| HashError(e.to_string()))?;
    // The permit moves into the task: if the request is dropped while the
    // work runs, the work still counts against the bound until it ends.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| HashError(e.to_string()))
}

/// [`hash_password`], queued behind the bound on concurrent argon2 work.
pub async fn hash_password_bounded(password: String) -> Result<String, HashError> {
    bounded(move || hash_password(&password)).await?
}

/// [`verify_password`], queued behind the bound on concurrent argon2 work.
pub async fn verify_password_bounded(password: String, hash: Option<String>) -> bool {
    bounded(move || verify_password(&password, hash.as_deref()))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
    }

    #[tokio::test]
    async fn argon2_work_is_bounded_by_the_cores() {
        let cores = std::thread::available_parallelism()
            .map(std::num::NonZeroUsize::get)
            .unwrap_or(1);
        let running = std::sync::Arc::new(AtomicU64::new(0));
        let most = std::sync::Arc::new(AtomicU64::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..(cores * 4) {
            let (running, most) = (running.clone(), most.clone());
            tasks.spawn(bounded(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task").expect("work");
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            most >= 1 && most <= cores as u64,
            "{most} at once on {cores} cores"
        );
        let before = password_verifications();
        let hash = hash_password_bounded("correct horse battery".into())
            .await
            .expect("hash");
        assert!(verify_password_bounded("correct horse battery".into(), Some(hash)).await);
        assert!(password_verifications() > before);
    }
}
