//! Password rules, as the NCSC and NIST SP 800-63B advise: long enough, no
//! composition rules, and not one of the passwords attackers try first.

use crate::error::FieldError;

pub const MIN_CHARS: usize = 8;
/// Long passphrases are welcome; the cap only stops absurd inputs.
pub const MAX_CHARS: usize = 256;

/// Checks a new password. `is_common` says whether a (lower-cased) password
/// is on the shipped list of common passwords.
pub fn check(
    field: &str,
    password: &str,
    is_common: impl Fn(&str) -> bool,
) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(FieldError::new(
            field,
            format!("Password must be {MIN_CHARS} characters or more"),
        ));
    }
    if chars > MAX_CHARS {
        return Err(FieldError::new(
            field,
            format!("Password must be {MAX_CHARS} characters or fewer"),
        ));
    }
    if is_common(&password.to_lowercase()) {
        return Err(FieldError::new(
            field,
            "This password is too common and easy to guess. Choose a different password, such as three random words",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(p: &str) -> bool {
        ["password1", "qwertyuiop"].contains(&p)
    }

    #[test]
    fn length_bounds() {
        assert!(check("password", "short", common).is_err());
        assert!(check("password", "eight ch", common).is_ok());
        assert!(
            check("password", &"long ".repeat(20), common).is_ok(),
            "64+ characters are accepted"
        );
        assert!(check("password", &"x".repeat(257), common).is_err());
    }

    #[test]
    fn no_composition_rules_but_common_ones_refused() {
        assert!(check("password", "correct horse battery", common).is_ok());
        let err = check("password", "Password1", common).expect_err("common");
        assert_eq!(err.field, "password");
        assert!(err.message.contains("too common"));
    }
}
