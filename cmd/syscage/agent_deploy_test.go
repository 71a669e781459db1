package main

// The Kubernetes manifests of deploy/ (docs/kubernetes.md): parsed and
// checked against each other and against what syscage agent and syscage
// profile do. No cluster is needed.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/syscage/syscage/inject"
)

// kubeletSeccompDir is where the kubelet looks for Localhost profiles.
const kubeletSeccompDir = "/var/lib/kubelet/seccomp"

// k8sObject is a parsed manifest with helpers to walk it.
type k8sObject map[string]any

func readManifests(t *testing.T, name string) []k8sObject {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader([]byte(readFile(t, name))))
	var objs []k8sObject
	for {
		var o k8sObject
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if o == nil {
			continue
		}
		if o.str("apiVersion") == "" || o.str("kind") == "" || o.str("metadata", "name") == "" {
			t.Errorf("%s: an object without apiVersion, kind or metadata.name: %v", name, o)
		}
		objs = append(objs, o)
	}
	return objs
}

// get walks maps by key.
func (o k8sObject) get(path ...string) any {
	var v any = o
	for _, k := range path {
		m, ok := asMap(v)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// asMap is v as a mapping: yaml.v3 decodes nested mappings as the type of
// the top one (k8sObject).
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case k8sObject:
		return m, true
	}
	return nil, false
}

func (o k8sObject) str(path ...string) string {
	s, _ := o.get(path...).(string)
	return s
}

func (o k8sObject) list(path ...string) []k8sObject {
	var out []k8sObject
	l, _ := o.get(path...).([]any)
	for _, v := range l {
		if m, ok := asMap(v); ok {
			out = append(out, k8sObject(m))
		}
	}
	return out
}

func (o k8sObject) strings(path ...string) []string {
	var out []string
	l, _ := o.get(path...).([]any)
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func findKind(objs []k8sObject, kind string) []k8sObject {
	var out []k8sObject
	for _, o := range objs {
		if o.str("kind") == kind {
			out = append(out, o)
		}
	}
	return out
}

// flagValue is the value after flag in args ("" when absent).
func flagValue(args []string, flag string) string {
	if i := slices.Index(args, flag); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// mountSource maps a path in a container to the volume behind it: the
// volume mounted at the longest prefix, and the rest of the path.
func mountSource(pod, container k8sObject, path string) (vol k8sObject, rest string) {
	best := ""
	var name string
	for _, m := range container.list("volumeMounts") {
		mp := strings.TrimSuffix(m.str("mountPath"), "/")
		if (path == mp || strings.HasPrefix(path, mp+"/")) && len(mp) > len(best) {
			best, name = mp, m.str("name")
		}
	}
	if name == "" {
		return nil, ""
	}
	for _, v := range pod.list("volumes") {
		if v.str("name") == name {
			return v, strings.TrimPrefix(path[len(best):], "/")
		}
	}
	return nil, ""
}

func TestAgentDeployManifests(t *testing.T) {
	objs := readManifests(t, "../../deploy/syscage-agent.yaml")
	for _, kind := range []string{"Namespace", "ConfigMap", "DaemonSet"} {
		if len(findKind(objs, kind)) != 1 {
			t.Fatalf("deploy/syscage-agent.yaml: want one %s, have %d", kind, len(findKind(objs, kind)))
		}
	}
	ds := findKind(objs, "DaemonSet")[0]
	if ds.str("apiVersion") != "apps/v1" {
		t.Errorf("DaemonSet apiVersion %q", ds.str("apiVersion"))
	}
	podSpec, _ := asMap(ds.get("spec", "template", "spec"))
	pod := k8sObject(podSpec)
	if pod.get("hostPID") != true {
		t.Errorf("the DaemonSet's pods need hostPID: true (notifications name threads in the agent's pid namespace)")
	}
	if sel, labels := ds.get("spec", "selector", "matchLabels"), ds.get("spec", "template", "metadata", "labels"); sel == nil || !mapSubset(sel, labels) {
		t.Errorf("DaemonSet selector %v does not match the template's labels %v", sel, labels)
	}
	cms := map[string]k8sObject{}
	for _, cm := range findKind(objs, "ConfigMap") {
		cms[cm.str("metadata", "name")] = cm
	}
	containers := pod.list("containers")
	if len(containers) != 1 || containers[0].strings("args")[0] != "agent" {
		t.Fatalf("want one container running syscage agent: %v", containers)
	}
	agentC := containers[0]
	args := agentC.strings("args")

	// scenarioFile resolves a --scenario of a container: a shipped name, or
	// a file of a ConfigMap volume, written to a temporary file here.
	tmp := t.TempDir()
	scenarioFile := func(c k8sObject, arg string) string {
		if !strings.Contains(arg, "/") {
			if !slices.Contains(shippedNames(), arg) {
				t.Errorf("--scenario %s: no shipped scenario of that name", arg)
			}
			return arg
		}
		vol, rest := mountSource(pod, c, arg)
		if vol == nil || vol.str("configMap", "name") == "" {
			t.Fatalf("--scenario %s: not on a ConfigMap volume of the container", arg)
		}
		cm := cms[vol.str("configMap", "name")]
		data := cm.str("data", rest)
		if data == "" {
			t.Fatalf("--scenario %s: ConfigMap %s has no key %s", arg, vol.str("configMap", "name"), rest)
		}
		if _, err := inject.Parse([]byte(data), rest); err != nil {
			t.Errorf("ConfigMap %s, %s: %v", cm.str("metadata", "name"), rest, err)
		}
		f := filepath.Join(tmp, rest)
		containerWrite(t, f, data)
		return f
	}

	// The agent: its socket and its output on hostPaths, at the node's
	// paths; its scenarios load.
	sock := flagValue(args, "--listen")
	if !filepath.IsAbs(sock) {
		t.Fatalf("agent --listen %q", sock)
	}
	vol, rest := mountSource(pod, agentC, sock)
	if vol == nil || vol.str("hostPath", "path") == "" || filepath.Join(vol.str("hostPath", "path"), rest) != sock {
		t.Errorf("the socket %s must be on a hostPath volume mounted at the node's own path (the runtime connects on the node): %v", sock, vol)
	}
	out := flagValue(args, "-o")
	if vol, _ := mountSource(pod, agentC, out); vol == nil || vol.str("hostPath", "path") == "" {
		t.Errorf("the reports directory %q must be on a hostPath volume", out)
	}
	var agentArgs []string
	for i := 0; i < len(args); i++ {
		if args[i] == "--scenario" && i+1 < len(args) {
			agentArgs = append(agentArgs, "--scenario", scenarioFile(agentC, args[i+1]))
			i++
			continue
		}
		agentArgs = append(agentArgs, args[i])
	}
	var aopt agentOptions
	fs := newAgentFlags(&aopt)
	if err := fs.Parse(agentArgs[1:]); err != nil {
		t.Fatalf("agent args %v: %v", args, err)
	}
	agt, err := newAgent(aopt)
	if err != nil {
		t.Fatalf("agent args %v: %v", args, err)
	}
	caps := agentC.strings("securityContext", "capabilities", "add")
	if !slices.Contains(caps, "SYS_PTRACE") {
		t.Errorf("the agent needs CAP_SYS_PTRACE to read other users' processes: capabilities.add %v", caps)
	}

	// The init containers write each profile of deploy/profiles/ to the
	// kubelet's seccomp directory, as syscage profile makes it now, for the
	// agent's socket and with scenarios the agent loads.
	installed := map[string]bool{}
	for _, c := range pod.list("initContainers") {
		args := c.strings("args")
		if len(args) == 0 || args[0] != "profile" {
			t.Errorf("init container %s: %v, want syscage profile", c.str("name"), args)
			continue
		}
		var popt profileOptions
		fs := newProfileFlags(&popt)
		if err := fs.Parse(args[1:]); err != nil {
			t.Fatalf("init container %s: %v", c.str("name"), err)
		}
		if popt.listener != sock {
			t.Errorf("init container %s: --listener %s, the agent listens on %s", c.str("name"), popt.listener, sock)
		}
		vol, rest := mountSource(pod, c, popt.output)
		host := ""
		if vol != nil {
			host = filepath.Join(vol.str("hostPath", "path"), rest)
		}
		rel, err := filepath.Rel(kubeletSeccompDir, host)
		if vol == nil || err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("init container %s writes %s, not below the node's %s", c.str("name"), popt.output, kubeletSeccompDir)
			continue
		}
		installed[rel] = true
		for i := range popt.scenarios {
			popt.scenarios[i] = scenarioFile(c, popt.scenarios[i])
		}
		popt.output = ""
		got, _, err := makeProfile(popt, fs.Changed("trace"))
		if err != nil {
			t.Fatalf("init container %s: %v", c.str("name"), err)
		}
		shipped := filepath.Join("../../deploy/profiles", filepath.Base(rel))
		if want := readFile(t, shipped); string(amd64Profile(t, got)) != want {
			t.Errorf("%s is not what syscage profile %s writes now (regenerate it):\n%s", shipped, strings.Join(args[1:], " "), amd64Profile(t, got))
		}
		// The agent accepts the profile's metadata.
		var prof struct {
			Metadata string `json:"listenerMetadata"`
			Path     string `json:"listenerPath"`
		}
		if err := json.Unmarshal(got, &prof); err != nil {
			t.Fatal(err)
		}
		if _, err := agt.selection(prof.Metadata); err != nil || prof.Path != sock {
			t.Errorf("profile of %s: listenerPath %s, metadata %q: %v", c.str("name"), prof.Path, prof.Metadata, err)
		}
	}
	ents, err := os.ReadDir("../../deploy/profiles")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !installed[filepath.Join("syscage", e.Name())] {
			t.Errorf("deploy/profiles/%s: no init container installs it as syscage/%s", e.Name(), e.Name())
		}
	}

	// The sample Pod: a Localhost profile the DaemonSet installs.
	sample := readManifests(t, "../../deploy/sample-pod.yaml")
	pods := findKind(sample, "Pod")
	if len(pods) != 1 {
		t.Fatalf("deploy/sample-pod.yaml: want one Pod, have %d", len(pods))
	}
	n := 0
	for _, c := range pods[0].list("spec", "containers") {
		m, _ := asMap(c.get("securityContext", "seccompProfile"))
		sp := k8sObject(m)
		if sp.str("type") != "Localhost" || !installed[sp.str("localhostProfile")] {
			t.Errorf("sample Pod container %s: seccompProfile %v, want type Localhost and one of %v", c.str("name"), sp, installed)
		}
		n++
	}
	if n == 0 {
		t.Errorf("sample Pod has no container")
	}
}

// amd64Profile is a profile as syscage profile writes it on x86_64, which
// deploy/profiles holds: the architectures are the only difference.
func amd64Profile(t *testing.T, b []byte) []byte {
	t.Helper()
	p, err := parseProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	p.set("architectures", []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"})
	out, err := json.MarshalIndent(p, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// mapSubset reports whether every key of a has the same value in b.
func mapSubset(a, b any) bool {
	am, ok1 := asMap(a)
	bm, ok2 := asMap(b)
	if !ok1 || !ok2 {
		return false
	}
	for k, v := range am {
		if bm[k] != v {
			return false
		}
	}
	return true
}
