//! Bemanna's desktop shell: opens the embedded database, registers the commands and
//! starts the window. Domain logic lives in the solver and the store.

pub mod api;
mod command_names;
pub mod commands;
pub mod ros;
pub mod state;

pub use command_names::COMMANDS;

use std::path::PathBuf;

use tauri::Manager;

use crate::state::AppState;

/// The database file: `$BEMANNA_DB`, else `bemanna/bemanna.sqlite` in the user's data
/// directory (the same file the CLI uses).
pub fn database_path(app: &tauri::AppHandle) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("BEMANNA_DB") {
        return Ok(PathBuf::from(p));
    }
    let dir = app
        .path()
        .data_dir()
        .map_err(|e| format!("no data directory: {e}"))?
        .join("bemanna");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir.join("bemanna.sqlite"))
}

/// Starts the app.
pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let path = database_path(app.handle())?;
            // A new file is created and seeded with the demo home.
            let store = bemanna_store::Store::open(&path)
                .map_err(|e| format!("Kunne ikke åpne databasen: {e}"))?;
            app.manage(AppState::new(store, path));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_projects,
            commands::open_project,
            commands::save_project,
            commands::import_staff,
            commands::check_roster,
            commands::plan_roster,
            commands::replan_roster,
            commands::run_study,
            commands::list_studies,
            commands::load_study,
            commands::cancel_job,
            commands::save_roster,
            commands::export_roster,
            ros::open_ros,
            ros::save_ros,
            ros::run_ros,
            ros::export_ros_report,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Bemanna");
}
