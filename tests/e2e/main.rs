//! End-to-end tests: one isolated stack, real PostgreSQL + extension, PostgREST and api.
use cimiento_e2e::{e2e_tests, run_tests};

mod academy;
mod audit;
mod auth;
mod commerce;
mod fiscal;
mod foundation;
mod imports;
mod insurance;
mod jobs;
mod numbering;
mod operations;
mod pdf;
mod tenancy;
mod workflow;

fn main() {
    run_tests(e2e_tests![
        foundation::api_health_and_ready,
        operations::pooled_requests_leave_no_session_state,
        operations::replica_serves_analysts_read_only_and_current,
        operations::restore_to_a_moment_keeps_what_came_before,
        operations::images_are_built_from_the_readme_scripts,
        commerce::a_shop_day_through_postgrest,
        commerce::thirty_two_buyers_for_the_last_ten_units,
        insurance::an_agency_day_through_postgrest_and_the_api,
        insurance::insurance_refusals,
        foundation::request_id_is_honoured_or_generated,
        foundation::postgrest_serves_openapi,
        foundation::extension_answers_its_version,
        foundation::ready_is_503_with_reason_when_postgrest_is_down,
        foundation::migrations_are_checked_and_atomic,
        foundation::services_do_not_run_as_root,
        tenancy::rest_shows_only_the_callers_tenant,
        tenancy::rest_refuses_anon_and_unpermitted_writes,
        tenancy::rest_writes_to_read_only_resources_are_client_errors,
        tenancy::rest_refuses_tokens_for_another_audience,
        tenancy::shipped_schema_has_no_isolation_findings,
        tenancy::revoked_permission_takes_effect_at_once,
        auth::register_login_refresh_logout,
        auth::tenant_from_header_or_host_and_no_enumeration,
        auth::refresh_reuse_after_grace_revokes_the_family,
        auth::fifty_concurrent_refreshes_never_fork,
        auth::concurrent_logins_of_one_user_all_succeed,
        auth::sessions_per_device_and_revocation,
        auth::totp_enroll_verify_replay_and_parallel,
        auth::tenant_can_require_mfa_for_admins,
        auth::brute_force_on_one_account_is_stopped,
        auth::refused_input_never_echoes_the_row,
        auth::thirty_plus_bad_tokens_are_refused_by_api_and_postgrest,
        auth::key_rotation_keeps_old_tokens_until_retired,
        auth::refresh_token_as_an_httponly_cookie,
        audit::rest_changes_are_audited_with_request_id_and_sealed,
        audit::concurrent_writers_make_one_sealed_chain_per_tenant,
        audit::sealing_continues_past_a_long_transaction,
        academy::academy_flow_through_postgrest,
        workflow::enrollment_transitions_through_postgrest,
        jobs::scheduled_job_run_observed,
        jobs::a_job_never_overlaps_itself,
        pdf::invoice_pdf_is_rendered_once_and_served_byte_for_byte,
        pdf::pdf_access_is_decided_by_rls,
        pdf::killed_renderer_worker_is_replaced,
        pdf::poisoned_document_does_not_stall_the_others,
        // After the PDF tests: 200 concurrently issued invoices queue 200 background renders
        // the PDF tests' own renders would wait behind.
        fiscal::verifactu_through_postgrest_validates_and_its_qr_decodes,
        fiscal::thirty_two_issuers_make_one_unbroken_chain,
        numbering::idempotent_retry_returns_the_first_invoice,
        numbering::issued_invoice_is_immutable_from_rest_and_psql,
        numbering::issuing_errors_have_meaningful_statuses,
        numbering::concurrent_issuing_with_rollbacks_is_gapless,
        numbering::crash_during_load_loses_no_acknowledged_invoice,
        numbering::second_table_concurrent_is_gapless,
        numbering::inserted_rows_are_numbered_by_their_statement,
        numbering::busy_series_is_numbered_at_commit,
        numbering::numbered_commit_returns_once_flushed,
        // Last: 10 000 imported students leave the audit sealer a backlog the timing-bound
        // audit tests must not wait behind.
        imports::promotion_chunk_undone_when_its_batch_fails_meanwhile,
        imports::command_line_import_as_a_login,
        imports::students_csv_in_windows_1252_validated_promoted_and_resumed,
        imports::products_xlsx_with_opening_stock,
    ]);
}
