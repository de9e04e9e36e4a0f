//! "Did you mean …?": the closest candidate to a misspelt name.

/// The candidate closest to `name`, if it is close enough to be a plausible typo: at most a
/// third of the longer name's characters differ (and at least one edit is allowed), or the two
/// differ only in case.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = if candidate.eq_ignore_ascii_case(name) {
            0
        } else {
            strsim::damerau_levenshtein(name, candidate)
        };
        let limit = (name.chars().count().max(candidate.chars().count()) / 3).max(1);
        // Replacing every character of a short name (`x` → `e`) is no typo.
        let plausible = distance < name.chars().count() || distance == 0;
        if distance <= limit
            && plausible
            && best.is_none_or(|(d, c)| (distance, candidate) < (d, c))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `a`, `b` and `c` as a readable list: "`a`, `b` and `c`".
pub fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_not() {
        assert_eq!(closest("prot", ["port", "path"]), Some("port"));
        assert_eq!(closest("imgae", ["image", "cpu"]), Some("image"));
        assert_eq!(closest("Image", ["image"]), Some("image"));
        assert_eq!(closest("x", ["memory", "replicas"]), None);
        assert_eq!(closest("cpu", ["cpu"]), None);
        assert_eq!(closest("x", ["e", "y"]), None);
        assert_eq!(closest("ab", ["ac"]), Some("ac"));
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
