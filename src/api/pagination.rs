//! Cursor pagination for lists ordered by id (ids are UUIDv7, so id order
//! is creation order): `?limit=` (default 20, at most 100) and `?cursor=`,
//! the string the previous page returned as `next_cursor`. Clients treat it
//! as opaque; it is the last id of that page, so every cursor of the
//! declared shape (`formats::IdCursor`) is a place in the list.

use super::shapes;
use crate::domain::page::{Page, DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::AppError;
use crate::http::{AppState, Connection};

pub fn page(limit: Option<u32>, cursor: Option<&str>) -> Result<Page, AppError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid_field(
            "limit",
            format!("must be from 1 to {MAX_LIMIT}"),
        ));
    }
    let after = cursor
        .map(|cursor| {
            shapes::is_id(cursor)
                .then(|| cursor.to_owned())
                .ok_or_else(|| {
                    AppError::invalid_field("cursor", "not a cursor this service gave out")
                })
        })
        .transpose()?;
    Ok(Page { limit, after })
}

/// Cuts the extra row fetched by [`Page::fetch_limit`] and answers the
/// cursor of the next page, if there is one.
fn finish<T>(items: &mut Vec<T>, page: &Page, id: impl Fn(&T) -> &str) -> Option<String> {
    if items.len() <= page.limit as usize {
        return None;
    }
    items.truncate(page.limit as usize);
    items.last().map(|last| id(last).to_owned())
}

/// One page of a list: `list` runs off the executor for the page's rows
/// and the one past them, which says only whether a next page exists.
/// Answers the rows and the next page's cursor.
pub async fn fetch<T, F>(
    state: &AppState,
    page: Page,
    list: F,
    id: impl Fn(&T) -> &str,
) -> Result<(Vec<T>, Option<String>), AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection, &Page) -> Result<Vec<T>, AppError> + Send + 'static,
{
    let (mut items, page) = state
        .store
        .run(move |c| Ok((list(c, &page)?, page)))
        .await?;
    let next_cursor = finish(&mut items, &page, id);
    Ok((items, next_cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded_and_cursors_checked() {
        assert_eq!(page(None, None).unwrap().limit, DEFAULT_LIMIT);
        assert!(page(Some(0), None).is_err());
        assert!(page(Some(101), None).is_err());
        assert!(page(None, Some("%%%")).is_err());
        assert!(page(None, Some("")).is_err());
        let id = "01a22606-0725-74df-bc78-4f06e879ed25";
        assert_eq!(page(None, Some(id)).unwrap().after.as_deref(), Some(id));
    }

    #[test]
    fn a_full_page_points_to_the_next() {
        let page = Page {
            limit: 2,
            after: None,
        };
        let mut items = vec!["a", "b", "c"];
        let next = finish(&mut items, &page, |s| s);
        assert_eq!(items, ["a", "b"]);
        assert_eq!(next.as_deref(), Some("b"));
        let mut short = vec!["a"];
        assert_eq!(finish(&mut short, &page, |s| s), None);
    }
}
