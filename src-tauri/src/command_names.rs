/// Every command the UI may call (build.rs turns each into a permission).
pub const COMMANDS: &[&str] = &[
    "list_projects",
    "open_project",
    "save_project",
    "import_staff",
    "check_roster",
    "plan_roster",
    "replan_roster",
    "run_study",
    "list_studies",
    "load_study",
    "cancel_job",
    "save_roster",
    "export_roster",
];
