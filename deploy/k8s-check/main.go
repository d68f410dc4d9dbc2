// Command k8s-check decodes every Kubernetes manifest under deploy/k8s strictly (an unknown
// field is an error) into the Kubernetes API's own Go types, and checks each Deployment and
// migration Job against the compose service of the same name: image, command, ports, probes
// and environment. The compose file comes on stdin as JSON (tests/deploy/test_kubernetes.py
// converts it); no cluster is needed.
//
//	go run . ../k8s < compose.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Settings compose gives a service that the cluster does not need: the local signing key's
// directory (a cluster verifies tokens with JWKS_URL).
var composeOnly = map[string]bool{"CANLIAN_DATA_DIR": true}

// Flags every uvicorn command line carries (canlian.common.web_security.UVICORN_FLAGS):
// --no-server-header keeps uvicorn's own "server:" banner off every response.
var uvicornFlags = []string{"--no-server-header"}

// Settings whose value must be the same in compose and in the cluster.
var sameValue = []string{"CANLIAN_ENVIRONMENT", "OUTBOX_POLL_SECONDS", "CANLIAN_RUN_WORKERS"}

type composeService struct {
	Image       string         `json:"image"`
	Command     []string       `json:"command"`
	Ports       []string       `json:"ports"`
	Environment map[string]any `json:"environment"`
	Healthcheck struct {
		Test []string `json:"test"`
	} `json:"healthcheck"`
}

type composeFile struct {
	Services map[string]composeService `json:"services"`
}

type manifests struct {
	deployments []*appsv1.Deployment
	jobs        []*batchv1.Job
	services    []*corev1.Service
	autoscalers []*autoscalingv2.HorizontalPodAutoscaler
	configMaps  map[string]*corev1.ConfigMap
	secrets     map[string]*corev1.Secret
	documents   int
}

type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: k8s-check DIR < compose.json")
		os.Exit(2)
	}
	var compose composeFile
	raw, err := io.ReadAll(os.Stdin)
	if err == nil {
		err = json.Unmarshal(raw, &compose)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "k8s-check: reading the compose file:", err)
		os.Exit(2)
	}
	var found problems
	m := decodeAll(os.Args[1], &found)
	check(m, compose, &found)
	if len(found) > 0 {
		for _, p := range found {
			fmt.Println("PROBLEM", p)
		}
		os.Exit(1)
	}
	fmt.Printf("ok: %d documents; %d Deployments, %d Jobs, %d Services, %d autoscalers match compose\n",
		m.documents, len(m.deployments), len(m.jobs), len(m.services), len(m.autoscalers))
}

// decodeAll reads every manifest (the kustomization only lists them) strictly.
func decodeAll(dir string, found *problems) *manifests {
	m := &manifests{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{}}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	sort.Strings(paths)
	separator := regexp.MustCompile(`(?m)^---\s*$`)
	for _, path := range paths {
		if filepath.Base(path) == "kustomization.yaml" {
			continue
		}
		text, err := os.ReadFile(path)
		if err != nil {
			found.add("%s: %v", path, err)
			continue
		}
		for i, doc := range separator.Split(string(text), -1) {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			where := fmt.Sprintf("%s#%d", filepath.Base(path), i+1)
			if err := decode(m, []byte(doc)); err != nil {
				found.add("%s: %v", where, err)
			}
			m.documents++
		}
	}
	return m
}

func stripComments(doc string) string {
	var out bytes.Buffer
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			out.WriteString(line + "\n")
		}
	}
	return out.String()
}

func decode(m *manifests, doc []byte) error {
	var meta metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return err
	}
	strict := func(into any) error { return yaml.UnmarshalStrict(doc, into) }
	switch meta.APIVersion + " " + meta.Kind {
	case "apps/v1 Deployment":
		var d appsv1.Deployment
		if err := strict(&d); err != nil {
			return err
		}
		m.deployments = append(m.deployments, &d)
	case "batch/v1 Job":
		var j batchv1.Job
		if err := strict(&j); err != nil {
			return err
		}
		m.jobs = append(m.jobs, &j)
	case "v1 Service":
		var s corev1.Service
		if err := strict(&s); err != nil {
			return err
		}
		m.services = append(m.services, &s)
	case "autoscaling/v2 HorizontalPodAutoscaler":
		var h autoscalingv2.HorizontalPodAutoscaler
		if err := strict(&h); err != nil {
			return err
		}
		m.autoscalers = append(m.autoscalers, &h)
	case "v1 ConfigMap":
		var c corev1.ConfigMap
		if err := strict(&c); err != nil {
			return err
		}
		m.configMaps[c.Name] = &c
	case "v1 Secret":
		var s corev1.Secret
		if err := strict(&s); err != nil {
			return err
		}
		m.secrets[s.Name] = &s
	default:
		return fmt.Errorf("unexpected kind %q %q", meta.APIVersion, meta.Kind)
	}
	return nil
}

func repository(image string) string {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i]
	}
	return image
}

// containerPort of a compose "host:port:container" (or "port") mapping.
func containerPort(mapping string) int {
	parts := strings.Split(mapping, ":")
	port, _ := strconv.Atoi(parts[len(parts)-1])
	return port
}

var probePath = regexp.MustCompile(`http://127\.0\.0\.1:(\d+)(/[a-z]+)`)

// environment of a container: its env list and everything its envFrom references hold.
func environment(m *manifests, c corev1.Container, where string, found *problems) map[string]string {
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm, ok := m.configMaps[from.ConfigMapRef.Name]
			if !ok {
				found.add("%s: envFrom names ConfigMap %q, which no manifest defines", where, from.ConfigMapRef.Name)
				continue
			}
			for k, v := range cm.Data {
				env[k] = v
			}
		case from.SecretRef != nil:
			s, ok := m.secrets[from.SecretRef.Name]
			if !ok {
				found.add("%s: envFrom names Secret %q, which no manifest defines", where, from.SecretRef.Name)
				continue
			}
			for k, v := range s.StringData {
				env[k] = v
			}
			for k, v := range s.Data {
				env[k] = string(v)
			}
		}
	}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	return env
}

func checkEnv(env map[string]string, service composeService, where string, found *problems) {
	for name, raw := range service.Environment {
		value := fmt.Sprint(raw)
		got, ok := env[name]
		if !ok {
			if !composeOnly[name] {
				found.add("%s: compose sets %s, the cluster does not", where, name)
			}
			continue
		}
		for _, same := range sameValue {
			if name == same && got != value {
				found.add("%s: %s is %q in the cluster, %q in compose", where, name, got, value)
			}
		}
	}
	for _, name := range []string{"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "CANLIAN_PII_KEY", "CANLIAN_PII_INDEX_KEY"} {
		if _, ok := env[name]; !ok {
			found.add("%s: %s is not set", where, name)
		}
	}
}

func checkUvicorn(command []string, where string, found *problems) {
	if len(command) == 0 || command[0] != "uvicorn" {
		return
	}
	for _, flag := range uvicornFlags {
		if !contains(command, flag) {
			found.add("%s: uvicorn runs without %s", where, flag)
		}
	}
}

func contains(items []string, item string) bool {
	for _, candidate := range items {
		if candidate == item {
			return true
		}
	}
	return false
}

func sameStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func check(m *manifests, compose composeFile, found *problems) {
	composeNames := make([]string, 0, len(compose.Services))
	for name := range compose.Services {
		composeNames = append(composeNames, name)
	}
	sort.Strings(composeNames)
	for _, name := range composeNames {
		checkUvicorn(compose.Services[name].Command, "compose service "+name, found)
	}
	for _, d := range m.deployments {
		pod := d.Spec.Template.Spec
		if len(pod.Containers) != 1 {
			found.add("Deployment %s: %d containers, expected 1", d.Name, len(pod.Containers))
			continue
		}
		c := pod.Containers[0]
		where := "Deployment " + d.Name
		service, ok := compose.Services[c.Name]
		if !ok {
			found.add("%s: container %q has no compose service", where, c.Name)
			continue
		}
		if repository(c.Image) != repository(service.Image) {
			found.add("%s: image %s, compose runs %s", where, c.Image, service.Image)
		}
		if !sameStrings(c.Command, service.Command) {
			found.add("%s: command %v, compose runs %v", where, c.Command, service.Command)
		}
		checkUvicorn(c.Command, where, found)
		if len(service.Ports) != 1 || len(c.Ports) != 1 {
			found.add("%s: expected one port in both (cluster %d, compose %d)", where, len(c.Ports), len(service.Ports))
			continue
		}
		port := containerPort(service.Ports[0])
		if int(c.Ports[0].ContainerPort) != port {
			found.add("%s: containerPort %d, compose publishes %d", where, c.Ports[0].ContainerPort, port)
		}
		if !strings.Contains(strings.Join(c.Command, " "), "--port "+strconv.Itoa(port)) {
			found.add("%s: the command does not listen on %d", where, port)
		}
		probe := probePath.FindStringSubmatch(strings.Join(service.Healthcheck.Test, " "))
		for name, p := range map[string]*corev1.Probe{"readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe} {
			if p == nil || p.HTTPGet == nil {
				found.add("%s: no HTTP %s", where, name)
				continue
			}
			if p.HTTPGet.Port.String() != c.Ports[0].Name && p.HTTPGet.Port.IntValue() != port {
				found.add("%s: %s probes port %s, not the container's", where, name, p.HTTPGet.Port.String())
			}
		}
		if probe == nil {
			found.add("%s: compose healthcheck is not an HTTP check", where)
		} else if c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet != nil {
			if c.ReadinessProbe.HTTPGet.Path != probe[2] || probe[1] != strconv.Itoa(port) {
				found.add("%s: readinessProbe %s, compose checks %s on %s", where, c.ReadinessProbe.HTTPGet.Path, probe[2], probe[1])
			}
		}
		if c.LivenessProbe != nil && c.LivenessProbe.HTTPGet != nil && c.LivenessProbe.HTTPGet.Path != "/healthz" {
			found.add("%s: livenessProbe %s, the image's HEALTHCHECK uses /healthz", where, c.LivenessProbe.HTTPGet.Path)
		}
		env := environment(m, c, where, found)
		// A split API/worker pair: only the worker must match compose's all-in-one process.
		if env["CANLIAN_RUN_WORKERS"] == "false" {
			env["CANLIAN_RUN_WORKERS"] = fmt.Sprint(service.Environment["CANLIAN_RUN_WORKERS"])
		}
		checkEnv(env, service, where, found)
		if pod.SecurityContext == nil || pod.SecurityContext.RunAsUser == nil || *pod.SecurityContext.RunAsUser != 10001 {
			found.add("%s: must run as the image's user 10001", where)
		}
	}
	for _, j := range m.jobs {
		where := "Job " + j.Name
		service, ok := compose.Services[j.Name]
		if !ok || len(j.Spec.Template.Spec.Containers) != 1 {
			found.add("%s: no compose service %q, or not one container", where, j.Name)
			continue
		}
		c := j.Spec.Template.Spec.Containers[0]
		if repository(c.Image) != repository(service.Image) || !sameStrings(c.Command, service.Command) {
			found.add("%s: runs %s %v, compose runs %s %v", where, c.Image, c.Command, service.Image, service.Command)
		}
		checkEnv(environment(m, c, where, found), service, where, found)
	}
	for _, s := range m.services {
		service, ok := compose.Services[s.Name]
		if !ok || len(s.Spec.Ports) != 1 || len(service.Ports) != 1 {
			found.add("Service %s: no compose service with one port", s.Name)
			continue
		}
		if int(s.Spec.Ports[0].Port) != containerPort(service.Ports[0]) {
			found.add("Service %s: port %d, compose %s", s.Name, s.Spec.Ports[0].Port, service.Ports[0])
		}
	}
	names := map[string]bool{}
	for _, d := range m.deployments {
		names[d.Name] = true
	}
	for _, h := range m.autoscalers {
		if h.Spec.ScaleTargetRef.Kind != "Deployment" || !names[h.Spec.ScaleTargetRef.Name] {
			found.add("HorizontalPodAutoscaler %s: scales %s %s, not a Deployment here", h.Name, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		}
	}
}
