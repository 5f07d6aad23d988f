fn main() {
    // Each command is its own permission; capabilities/default.json grants exactly these.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(bemanna_app_commands::COMMANDS)),
    )
    .expect("tauri build script");
}

mod bemanna_app_commands {
    include!("src/command_names.rs");
}
