//! Which field of a form: every field any form has, named once, so a misspelt field is a
//! compile error rather than a form that silently reads "".

use std::fmt;

macro_rules! field_ids {
    ($($id:ident = $name:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FieldId {
            $($id,)*
        }

        impl FieldId {
            /// The field's name where a text needs one (a snapshot's keys, the tests' wording).
            pub fn name(self) -> &'static str {
                match self {
                    $(FieldId::$id => $name,)*
                }
            }
        }
    };
}

field_ids! {
    AirflowVersion = "airflow_version",
    Au = "au",
    Category = "category",
    Cluster = "cluster",
    Conf = "conf",
    Description = "description",
    Downstream = "downstream",
    Email = "email",
    Executor = "executor",
    ExtraAu = "extra_au",
    FullName = "full_name",
    KeepSecret = "keep_secret",
    Key = "key",
    Label = "label",
    Mode = "mode",
    Name = "name",
    Namespace = "namespace",
    Password = "password",
    Path = "path",
    Role = "role",
    SchedulerAu = "scheduler_au",
    SchedulerReplicas = "scheduler_replicas",
    Secret = "secret",
    State = "state",
    Token = "token",
    TriggererAu = "triggerer_au",
    TriggererReplicas = "triggerer_replicas",
    Username = "username",
    Value = "value",
    Version = "version",
    WebserverAu = "webserver_au",
    WorkerGrace = "worker_grace",
    WorkerReplicas = "worker_replicas",
    WorkersAu = "workers_au",
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
