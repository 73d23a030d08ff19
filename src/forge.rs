//! The repository a site's sources live in (`repository` in `site.toml`), and the two
//! kinds of link rungs makes into it: "edit this page" (the forge's web editor on a
//! source file) and "give feedback" (a new issue, its title and description filled in).
//!
//! A leaf module: `config` reads the settings with its checks, `plan` makes the links.
//!
//! Safety: every URL made here is the validated repository URL (an `http(s)` URL whose
//! path holds only letters, digits and `-._~`), then fixed words, then percent-encoded
//! values (the branch, paths of source files and texts built from ids). Nothing a
//! contributor writes in a Markdown or YAML file reaches these URLs except as an id.

use serde::Serialize;

/// Which forge serves the repository: its URL shapes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    /// GitHub or GitHub Enterprise: `…/edit/<branch>/<path>`, `…/issues/new?title=&body=`.
    GitHub,
    /// GitLab (gitlab.com or self-hosted): `…/-/edit/<branch>/<path>`,
    /// `…/-/issues/new?issue[title]=&issue[description]=`.
    GitLab,
}

impl Forge {
    /// The value of `forge` in site.toml.
    pub fn name(self) -> &'static str {
        match self {
            Forge::GitHub => "github",
            Forge::GitLab => "gitlab",
        }
    }

    /// The forge a host is known to be (`github.com`, `gitlab.com`), if any.
    pub fn of_host(host: &str) -> Option<Forge> {
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        match host.strip_prefix("www.").unwrap_or(&host) {
            "github.com" => Some(Forge::GitHub),
            "gitlab.com" => Some(Forge::GitLab),
            _ => None,
        }
    }
}

/// Where a site's sources live, from `repository`, `forge`, `branch` and `content_path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repository {
    /// The repository's web address, without a trailing `/` or `.git`:
    /// `https://github.com/acme/careers`.
    pub url: String,
    /// GitHub or GitLab.
    pub forge: Forge,
    /// The branch edits are proposed against (`main` unless set).
    pub branch: String,
    /// The site's folder inside the repository, `""` at its root, else ending in `/`
    /// (`careers/`): source files are at `<content_path><path from the site>`.
    #[serde(skip)]
    pub content_path: String,
}

/// The characters a query value keeps as they are (RFC 3986 unreserved); everything
/// else, `&`, `=`, `#` and spaces included, is percent-encoded.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn query_value(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// A path with each segment percent-encoded (the `/`s kept).
fn encode_path(s: &str) -> String {
    s.split('/').map(query_value).collect::<Vec<_>>().join("/")
}

impl Repository {
    /// The forge's web editor on a source file, given by its path from the site folder
    /// (`content/levels/expert/staff-engineer.md`).
    pub fn edit_url(&self, file: &str) -> String {
        let path = encode_path(&format!("{}{file}", self.content_path));
        let branch = encode_path(&self.branch);
        match self.forge {
            Forge::GitHub => format!("{}/edit/{branch}/{path}", self.url),
            Forge::GitLab => format!("{}/-/edit/{branch}/{path}", self.url),
        }
    }

    /// A new issue with its title and description filled in.
    pub fn issue_url(&self, title: &str, body: &str) -> String {
        let (title, body) = (query_value(title), query_value(body));
        match self.forge {
            Forge::GitHub => format!("{}/issues/new?title={title}&body={body}", self.url),
            Forge::GitLab => format!(
                "{}/-/issues/new?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}",
                self.url
            ),
        }
    }
}

/// What `repository` is once checked: its address (without a trailing `/` or `.git`)
/// and the forge its host is known to be, if it is github.com or gitlab.com.
pub fn check_repository(url: &str) -> Result<(String, Option<Forge>), String> {
    if let Some(c) = url.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(if c.is_control() {
            format!("it contains the control character U+{:04X}", c as u32)
        } else {
            "it contains a space".into()
        });
    }
    if url.contains('\\') {
        return Err("it contains a backslash".into());
    }
    if url.contains(['?', '#']) {
        return Err("it has a query or a fragment; give the repository's own address".into());
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https://", &url[8..])
    } else if lower.starts_with("http://") {
        ("http://", &url[7..])
    } else {
        return Err("it is not an http(s) URL".into());
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.contains('@') {
        return Err(
            "it has a user name before the host (`user@`); never put credentials in site.toml"
                .into(),
        );
    }
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err(format!(
            "`{host}` is not a host name (letters, digits, dots and hyphens, optionally `:port`)"
        ));
    }
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    if segments.is_empty() || segments.iter().any(|s| s.is_empty()) {
        return Err("it names no repository (`https://<host>/<owner>/<repository>`)".into());
    }
    if let Some(s) = segments.iter().find(|s| {
        **s == "."
            || **s == ".."
            || !s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    }) {
        return Err(format!(
            "`{s}` is not a name of an owner, group or repository (letters, digits, `-`, `.`, `_` and `~`)"
        ));
    }
    let forge = Forge::of_host(host);
    if segments.contains(&"-") {
        return Err("it is the address of a page of the repository (it has a `/-/` segment), not of the repository".into());
    }
    if forge == Some(Forge::GitHub) && segments.len() != 2 {
        return Err(format!(
            "a GitHub repository's address is `https://github.com/<owner>/<repository>`; this one has {} part{} after the host",
            segments.len(),
            if segments.len() == 1 { "" } else { "s" }
        ));
    }
    Ok((format!("{scheme}{host}{path}"), forge))
}

/// What is wrong with a `branch`, if anything: the characters git allows in branch
/// names that need no quoting in a URL (letters, digits, `-`, `_`, `.` and `/`).
pub fn check_branch(branch: &str) -> Result<(), String> {
    if branch.is_empty() {
        return Err("it is empty".into());
    }
    if let Some(c) = branch
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')))
    {
        return Err(format!(
            "`{c}` is not allowed (letters, digits, `-`, `_`, `.` and `/`)"
        ));
    }
    if branch.contains("..")
        || branch.contains("//")
        || branch.starts_with(['/', '.', '-'])
        || branch.ends_with(['/', '.'])
        || branch.ends_with(".lock")
    {
        return Err("it is not a valid git branch name".into());
    }
    Ok(())
}

/// The site's folder inside the repository as a prefix for source paths (`""` or
/// `careers/`), or what is wrong with `content_path`: a relative path of plain
/// folder names.
pub fn content_prefix(path: &str) -> Result<String, String> {
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        return Err(format!(
            "it contains the control character U+{:04X}",
            c as u32
        ));
    }
    if path.contains(['\\', '?', '#', '%']) {
        return Err("it may not contain `\\`, `?`, `#` or `%`".into());
    }
    if path.starts_with('/') {
        return Err("it starts with `/`; give the folder relative to the repository's root".into());
    }
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segments.contains(&"..") {
        return Err("it has a `..` segment; the site is inside the repository".into());
    }
    Ok(segments.iter().map(|s| format!("{s}/")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(url: &str, forge: Forge, branch: &str, content_path: &str) -> Repository {
        Repository {
            url: url.into(),
            forge,
            branch: branch.into(),
            content_path: content_prefix(content_path).unwrap(),
        }
    }

    #[test]
    fn edit_urls_follow_each_forges_shape() {
        let gh = repo("https://github.com/acme/careers", Forge::GitHub, "main", "");
        assert_eq!(
            gh.edit_url("content/levels/expert/staff-engineer.md"),
            "https://github.com/acme/careers/edit/main/content/levels/expert/staff-engineer.md"
        );
        let gl = repo(
            "https://gitlab.example.org/hr/frameworks/eng",
            Forge::GitLab,
            "release/2025",
            "sites/eng ladder/",
        );
        assert_eq!(
            gl.edit_url("content/pages/faq.md"),
            "https://gitlab.example.org/hr/frameworks/eng/-/edit/release/2025/sites/eng%20ladder/content/pages/faq.md"
        );
    }

    #[test]
    fn issue_urls_encode_title_and_body() {
        let title = "Feedback: troubleshooting & more";
        let body = "Competency: troubleshooting\nPage: https://x.org/a/#b?c=d";
        let gh = repo("https://github.com/acme/careers", Forge::GitHub, "main", "");
        assert_eq!(
            gh.issue_url(title, body),
            "https://github.com/acme/careers/issues/new?title=Feedback%3A%20troubleshooting%20%26%20more&body=Competency%3A%20troubleshooting%0APage%3A%20https%3A%2F%2Fx.org%2Fa%2F%23b%3Fc%3Dd"
        );
        let gl = repo("https://gitlab.com/acme/careers", Forge::GitLab, "main", "");
        assert_eq!(
            gl.issue_url("T", "B é"),
            "https://gitlab.com/acme/careers/-/issues/new?issue%5Btitle%5D=T&issue%5Bdescription%5D=B%20%C3%A9"
        );
    }

    #[test]
    fn repositories_are_http_urls_of_a_repository() {
        for (given, url, forge) in [
            (
                "https://github.com/acme/careers",
                "https://github.com/acme/careers",
                Some(Forge::GitHub),
            ),
            (
                "https://github.com/acme/careers.git",
                "https://github.com/acme/careers",
                Some(Forge::GitHub),
            ),
            (
                "https://gitlab.com/acme/hr/careers/",
                "https://gitlab.com/acme/hr/careers",
                Some(Forge::GitLab),
            ),
            (
                "HTTP://git.acme.internal:8080/hr/careers",
                "http://git.acme.internal:8080/hr/careers",
                None,
            ),
        ] {
            assert_eq!(
                check_repository(given),
                Ok((url.to_string(), forge)),
                "{given}"
            );
        }
        for (bad, why) in [
            ("git@github.com:acme/careers.git", "not an http(s) URL"),
            ("javascript:alert(1)//github.com/a/b", "not an http(s) URL"),
            ("https://token@github.com/acme/careers", "credentials"),
            ("https://github.com/acme", "1 part"),
            ("https://github.com/acme/careers/tree/main", "4 parts"),
            ("https://gitlab.com/acme/careers/-/tree/main", "`/-/`"),
            ("https://github.com/", "names no repository"),
            ("https://github.com//careers", "names no repository"),
            ("https://github.com/acme/car\"eers", "not a name"),
            ("https://github.com/acme/../x", "not a name"),
            ("https://github.com/acme/careers?tab=x", "query"),
            ("https://github.com/acme/ careers", "space"),
            ("https://evil\u{0}.com/a/b", "control"),
            ("https://gith<ub.com/a/b", "host name"),
        ] {
            let err = check_repository(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn branches_and_content_paths_are_checked() {
        for ok in ["main", "release/2025.1", "feature_x-y"] {
            assert_eq!(check_branch(ok), Ok(()), "{ok}");
        }
        for bad in [
            "", "a..b", "-x", "/x", "x/", "a b", "a?b", "x.lock", "a//b", "é",
        ] {
            assert!(check_branch(bad).is_err(), "{bad}");
        }
        assert_eq!(content_prefix("").unwrap(), "");
        assert_eq!(content_prefix("./careers/eng/").unwrap(), "careers/eng/");
        for bad in ["/abs", "../up", "a/../../b", "a\\b", "a?b", "a%2e"] {
            assert!(content_prefix(bad).is_err(), "{bad}");
        }
    }
}
