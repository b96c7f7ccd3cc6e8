//! Where an event ran: service, revision, instance and location, read from
//! the labels each monitored resource type has.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::entry::MonitoredResource;
use crate::lenient::Text;

/// Entry labels, then the payload's `logging.googleapis.com/labels`.
pub(super) struct Labels<'x, 'a> {
    pub(super) entry: Option<&'x BTreeMap<Text<'a>, Text<'a>>>,
    pub(super) payload: Option<&'x BTreeMap<Text<'a>, Text<'a>>>,
}

impl<'a> Labels<'_, 'a> {
    pub(super) fn get(&self, key: &str) -> Option<Cow<'a, str>> {
        [self.entry, self.payload]
            .into_iter()
            .flatten()
            .find_map(|labels| labels.get(key))
            .filter(|value| !value.is_empty())
            .map(|value| value.0.clone())
    }
}

#[derive(Default)]
pub(super) struct Placement<'a> {
    pub(super) service: Option<Cow<'a, str>>,
    pub(super) revision: Option<Cow<'a, str>>,
    pub(super) instance: Option<Cow<'a, str>>,
    pub(super) location: Option<Cow<'a, str>>,
}

impl<'a> Placement<'a> {
    /// Service, revision, instance and location from the resource labels of
    /// each resource type, and the entry labels that complete them.
    pub(super) fn of(resource: &MonitoredResource<'a>, labels: &Labels<'_, 'a>) -> Placement<'a> {
        let get = |key: &str| -> Option<Cow<'a, str>> {
            resource
                .labels
                .as_ref()?
                .get(key)
                .filter(|value| !value.is_empty())
                .map(|value| value.0.clone())
        };
        let kind = resource.kind.as_deref().unwrap_or_default();
        let (service, revision, instance) = match kind {
            "cloud_run_revision" => (
                get("service_name"),
                get("revision_name"),
                labels.get("instanceId"),
            ),
            "cloud_run_job" => (
                get("job_name"),
                labels.get("run.googleapis.com/execution_name"),
                labels.get("run.googleapis.com/task_index"),
            ),
            "cloud_run_worker_pool" => (
                get("worker_pool_name"),
                get("revision_name"),
                labels.get("instanceId"),
            ),
            "k8s_container" => (
                get("container_name"),
                labels.get("k8s-pod/pod-template-hash"),
                get("pod_name"),
            ),
            "k8s_pod" => (
                labels
                    .get("k8s-pod/app")
                    .or_else(|| labels.get("k8s-pod/app_kubernetes_io/name")),
                labels.get("k8s-pod/pod-template-hash"),
                get("pod_name"),
            ),
            "container" => (get("container_name"), None, get("pod_id")),
            "gae_app" => (
                get("module_id"),
                get("version_id"),
                labels.get("appengine.googleapis.com/instance_name"),
            ),
            "cloud_function" => (
                get("function_name"),
                None,
                labels
                    .get("instance_id")
                    .or_else(|| labels.get("execution_id")),
            ),
            "gce_instance" => (
                None,
                None,
                labels
                    .get("compute.googleapis.com/resource_name")
                    .or_else(|| get("instance_id")),
            ),
            "generic_task" => (get("job"), None, get("task_id")),
            "generic_node" => (get("namespace"), None, get("node_id")),
            _ => (
                get("service_name")
                    .or_else(|| get("service"))
                    .or_else(|| get("module_id"))
                    .or_else(|| get("function_name"))
                    .or_else(|| get("job_name")),
                get("revision_name")
                    .or_else(|| get("version"))
                    .or_else(|| get("version_id")),
                get("instance_id").or_else(|| get("pod_name")),
            ),
        };
        Placement {
            service,
            revision,
            instance,
            location: get("location")
                .or_else(|| get("region"))
                .or_else(|| get("zone")),
        }
    }
}
