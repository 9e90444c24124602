//! The desk: the browser workspace of focal points, editors and
//! administrators, a second front door over the same use cases as the
//! JSON API. A server-side session (see `session`) stands for the person;
//! every form carries the session's CSRF token; pages need no script.

pub mod dashboard;
pub mod diff_page;
pub mod editing;
pub mod failure;
pub mod form;
pub mod frame;
pub mod review;
pub mod session;
pub mod sign_in;
pub mod submission_form;
pub mod submission_page;

use actix_web::web;

/// Registers the desk's pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sign-in")
            .route(web::get().to(sign_in::show))
            .route(web::post().to(sign_in::sign_in)),
    )
    .service(web::resource("/sign-out").route(web::post().to(sign_in::sign_out)))
    .service(web::resource("/desk").route(web::get().to(dashboard::show)))
    .service(web::resource("/desk/review").route(web::get().to(review::show)))
    .service(web::resource("/desk/submissions/new").route(web::get().to(editing::new_form)))
    .service(web::resource("/desk/submissions").route(web::post().to(editing::create)))
    .service(web::resource("/desk/submissions/{id}").route(web::get().to(submission_page::show)))
    .service(
        web::resource("/desk/submissions/{id}/edit")
            .route(web::get().to(editing::edit_form))
            .route(web::post().to(editing::update)),
    )
    .service(web::resource("/desk/submissions/{id}/diff").route(web::get().to(diff_page::show)))
    .service(
        web::resource("/desk/submissions/{id}/{move}")
            .route(web::post().to(submission_page::run_move)),
    );
}
