//! The line of a spec file a JSON pointer names, read from the YAML text by
//! indentation (for annotations that point at the line): block mappings and
//! sequences are followed key by key; inside a flow collection
//! (`{name: count, in: query}`) the line holding it is the answer.

/// The 1-based line of `text` (a YAML document in block style) holding the
/// node at `pointer` (`/paths/~1widgets/get/parameters/0`), or of the
/// deepest node on its way that the text shows on a line of its own; `None`
/// when not even the first step is found.
pub fn yaml_line(text: &str, pointer: &str) -> Option<usize> {
    locate(text, pointer).map(|(line, _)| line)
}

/// The line [`yaml_line`] finds, and whether it is the node's own (every
/// step of the pointer found).
pub fn locate(text: &str, pointer: &str) -> Option<(usize, bool)> {
    let steps = pointer.split('/').skip(1).count();
    let mut taken = 0;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let (mut start, mut end) = (0, lines.len());
    let mut parent: Option<usize> = None;
    let mut found = None;
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let content = |line: &str| {
            let trimmed = line.trim_start();
            (!trimmed.is_empty() && !trimmed.starts_with('#'))
                .then(|| (line.len() - trimmed.len(), trimmed.to_owned()))
        };
        let Some(indent) = (start..end)
            .filter_map(|i| content(&lines[i]))
            .map(|(indent, _)| indent)
            .find(|&indent| parent.is_none_or(|p| indent > p))
        else {
            break;
        };
        let children: Vec<(usize, String)> = (start..end)
            .filter_map(|i| content(&lines[i]).map(|(ind, c)| (i, ind, c)))
            .take_while(|(_, ind, _)| parent.is_none_or(|p| *ind > p))
            .filter(|(_, ind, _)| *ind == indent)
            .map(|(i, _, c)| (i, c))
            .collect();
        let item = segment.parse::<usize>().ok().filter(|_| {
            children
                .first()
                .is_some_and(|(_, c)| c.starts_with("- ") || c == "-")
        });
        let hit = match item {
            Some(n) => children
                .iter()
                .filter(|(_, c)| c.starts_with('-'))
                .nth(n)
                .map(|(i, _)| *i),
            None => children
                .iter()
                .find(|(_, c)| is_key(c, &segment))
                .map(|(i, _)| *i),
        };
        let Some(at) = hit else { break };
        found = Some(at + 1);
        taken += 1;
        end = (at + 1..end)
            .find(|&i| content(&lines[i]).is_some_and(|(ind, _)| ind <= indent))
            .unwrap_or(end);
        if item.is_some() {
            // The item's own first key sits on the dash's line.
            lines[at] = lines[at].replacen('-', " ", 1);
            start = at;
        } else {
            start = at + 1;
        }
        parent = Some(indent);
    }
    found.map(|line| (line, taken == steps))
}

/// Whether a line's content starts with the mapping key `key`.
fn is_key(content: &str, key: &str) -> bool {
    [key.to_owned(), format!("'{key}'"), format!("\"{key}\"")]
        .iter()
        .any(|k| {
            content
                .strip_prefix(k.as_str())
                .is_some_and(|r| r.starts_with(':'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3
paths:
  /widgets:
    get:
      parameters:
        - {name: count, in: query}
        - name: offset
          in: query
      responses:
        '200':
          description: OK.
components:
  schemas:
    Widget:
      properties:
        name: {type: string}
";

    #[test]
    fn follows_keys_and_items_by_indentation() {
        assert_eq!(yaml_line(DOC, "/paths/~1widgets/get"), Some(4));
        assert_eq!(yaml_line(DOC, "/paths/~1widgets/get/parameters/0"), Some(6));
        assert_eq!(
            yaml_line(DOC, "/paths/~1widgets/get/parameters/1/in"),
            Some(8)
        );
        assert_eq!(
            yaml_line(DOC, "/paths/~1widgets/get/responses/200"),
            Some(10)
        );
        assert_eq!(
            yaml_line(DOC, "/components/schemas/Widget/properties/name/type"),
            Some(16),
            "inside a flow mapping: its line"
        );
        assert_eq!(yaml_line(DOC, "/components/schemas/Gadget"), Some(13));
        assert_eq!(yaml_line(DOC, "/nothing"), None);
        assert_eq!(locate(DOC, "/paths/~1widgets/get"), Some((4, true)));
        assert_eq!(locate(DOC, "/components/schemas/Gadget"), Some((13, false)));
    }
}
