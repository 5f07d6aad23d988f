//! What the shell keeps between commands: the open database, a cache of validated
//! instances (the checker runs on every grid edit), and the running jobs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bemanna_solver::model::Instance;
use bemanna_store::Store;

use crate::api::AppError;

/// Shared state of the app.
pub struct AppState {
    store: Mutex<Store>,
    /// The database file.
    pub db_path: PathBuf,
    instances: Mutex<HashMap<i64, Arc<Instance>>>,
    jobs: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl AppState {
    /// Wraps an open store.
    pub fn new(store: Store, db_path: PathBuf) -> AppState {
        AppState {
            store: Mutex::new(store),
            db_path,
            instances: Mutex::new(HashMap::new()),
            jobs: Mutex::new(HashMap::new()),
        }
    }

    /// The store. A panic while holding it leaves SQLite consistent (every write is one
    /// transaction), so a poisoned lock is taken over rather than failing forever.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The project's validated instance, built once per saved version of the project.
    pub fn instance(&self, project: i64) -> Result<Arc<Instance>, AppError> {
        if let Some(i) = self.cache().get(&project) {
            return Ok(i.clone());
        }
        let p = self.store().load_project(project)?;
        let inst = Arc::new(
            Instance::new(p).map_err(|f| AppError::invalid("Prosjektet er ikke gyldig", f))?,
        );
        self.cache().insert(project, inst.clone());
        Ok(inst)
    }

    /// Forgets a project's instance after it changed.
    pub fn forget(&self, project: i64) {
        self.cache().remove(&project);
    }

    fn cache(&self) -> MutexGuard<'_, HashMap<i64, Arc<Instance>>> {
        self.instances.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a job; the guard unregisters it when the job ends.
    pub fn start_job(&self, id: &str) -> Result<JobGuard<'_>, AppError> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.contains_key(id) {
            return Err(AppError::msg(format!("Jobben {id} kjører allerede")));
        }
        let flag = Arc::new(AtomicBool::new(false));
        jobs.insert(id.to_string(), flag.clone());
        Ok(JobGuard {
            state: self,
            id: id.to_string(),
            cancel: flag,
        })
    }

    /// Asks a job to stop; false when no such job runs.
    pub fn cancel_job(&self, id: &str) -> bool {
        let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        match jobs.get(id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// A running job's cancel flag; dropping it ends the job's registration.
pub struct JobGuard<'a> {
    state: &'a AppState,
    id: String,
    /// Set by `cancel_job`.
    pub cancel: Arc<AtomicBool>,
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        let mut jobs = self.state.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.remove(&self.id);
    }
}
