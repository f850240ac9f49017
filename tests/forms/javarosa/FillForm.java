// Fills an XForm with JavaRosa, the form engine inside ODK Collect, along a scripted path.
//
// Usage: java -cp ODK_Validate.jar:<classes> FillForm FORM.xml SCRIPT.json [MEDIA_DIR]
//
// SCRIPT.json: {"language": "English (en)",
//               "set": {"/data/today": "2026-12-07"},        values put in before the walk
//               "answers": {"/data/q": "text", "/data/r[2]/q": "..."},
//               "repeats": {"/data/r": 2}}                    entries of repeats without a count
// MEDIA_DIR holds the form's attachments (jr://file-csv/x.csv, jr://file/x).
//
// It walks the form as Collect does on a phone, question by question with relevance applied,
// answers what the script gives, and blocks as Collect blocks on moving forward: a constraint
// that fails, or a required question left empty, is an error. It prints one JSON object:
// {"errors": [{"kind", "path", "message"}], "shown": [paths], "instance": "<data>...</data>"}.
// Paths carry [n] (from 1) on repeat entries. Error kinds: constraint, required, not_a_choice,
// bad_value, not_shown (a scripted answer the walk never reached), finalize (a last check).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.javarosa.core.model.Constants;
import org.javarosa.core.model.FormDef;
import org.javarosa.core.model.FormIndex;
import org.javarosa.core.model.SelectChoice;
import org.javarosa.core.model.ValidateOutcome;
import org.javarosa.core.model.data.AnswerDataFactory;
import org.javarosa.core.model.data.IAnswerData;
import org.javarosa.core.model.data.SelectMultiData;
import org.javarosa.core.model.data.SelectOneData;
import org.javarosa.core.model.data.StringData;
import org.javarosa.core.model.data.UncastData;
import org.javarosa.core.model.data.helper.Selection;
import org.javarosa.core.model.instance.AbstractTreeElement;
import org.javarosa.core.model.instance.InstanceInitializationFactory;
import org.javarosa.core.model.instance.TreeElement;
import org.javarosa.core.model.instance.TreeReference;
import org.javarosa.core.reference.Reference;
import org.javarosa.core.reference.ReferenceFactory;
import org.javarosa.core.reference.ReferenceManager;
import org.javarosa.core.services.IPropertyManager;
import org.javarosa.core.services.PropertyManager;
import org.javarosa.core.services.properties.IPropertyRules;
import org.javarosa.form.api.FormEntryController;
import org.javarosa.form.api.FormEntryModel;
import org.javarosa.form.api.FormEntryPrompt;
import org.javarosa.model.xform.XFormSerializingVisitor;
import org.javarosa.xform.util.XFormUtils;

public final class FillForm {
    private final FormDef form;
    private final FormEntryController controller;
    private final JsonNode script;
    private final Map<String, String> answers = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();
    private final List<String> shown = new ArrayList<>();
    private final List<Map<String, String>> errors = new ArrayList<>();

    private FillForm(FormDef form, JsonNode script) {
        this.form = form;
        this.script = script;
        this.controller = new FormEntryController(new FormEntryModel(form));
        script.path("answers").fields()
                .forEachRemaining(e -> answers.put(e.getKey(), e.getValue().asText()));
    }

    public static void main(String[] args) throws Exception {
        File media = new File(args.length > 2 ? args[2] : ".");
        ReferenceManager.instance().addReferenceFactory(new MediaFolder(media));
        PropertyManager.setPropertyManager(new DeviceProperties());
        JsonNode script = new ObjectMapper().readTree(new File(args[1]));
        FormDef form;
        try (InputStream xml = new FileInputStream(args[0])) {
            form = XFormUtils.getFormFromInputStream(xml);
        }
        form.initialize(true, new InstanceInitializationFactory());
        Map<String, Object> result = new FillForm(form, script).fill();
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    private Map<String, Object> fill() throws IOException {
        if (script.has("language")) {
            controller.setLanguage(script.get("language").asText());
        }
        applySetValues();
        walk();
        for (String path : answers.keySet()) {
            if (!used.contains(path)) {
                error("not_shown", path, "the walk never reached this question");
            }
        }
        finalCheck();
        controller.finalizeFormEntry();
        applySetValues(); // end time and friends are written on finalising: keep the script's
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("errors", errors);
        result.put("shown", shown);
        byte[] xml = new XFormSerializingVisitor().serializeInstance(form.getInstance());
        result.put("instance", new String(xml, StandardCharsets.UTF_8));
        return result;
    }

    // Metadata the phone fills from its clock (today, start, end): fixed by the script so the
    // instance does not depend on the day the test runs.
    private void applySetValues() {
        Iterator<Map.Entry<String, JsonNode>> fields = script.path("set").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            TreeReference ref = reference(field.getKey());
            TreeElement element = form.getMainInstance().resolveReference(ref);
            IAnswerData value = cast(element.getDataType(), field.getValue().asText());
            form.setValue(value, ref, true);
        }
    }

    private void walk() {
        int event;
        while ((event = controller.stepToNextEvent()) != FormEntryController.EVENT_END_OF_FORM) {
            if (event == FormEntryController.EVENT_QUESTION) {
                question(controller.getModel().getQuestionPrompt());
            } else if (event == FormEntryController.EVENT_PROMPT_NEW_REPEAT) {
                newRepeatPrompt();
            } else if (event == FormEntryController.EVENT_REPEAT) {
                removeUnwantedEntry();
            }
        }
    }

    // A repeat without a count asks "add another?": the script says how many entries it wants.
    private void newRepeatPrompt() {
        FormIndex index = controller.getModel().getFormIndex();
        String repeat = repeatPath(index.getReference());
        int existing = index.getReference().getMultiplicity(index.getReference().size() - 1);
        if (existing < script.path("repeats").path(repeat).asInt(0)) {
            controller.newRepeat();
        }
    }

    // pyxform puts one entry of each repeat in the blank instance; a user who wants none (or
    // fewer) removes it, as Collect's "remove" menu does. Repeats with a count are left alone:
    // the engine decides how many entries they have, which is what the harness is for.
    private void removeUnwantedEntry() {
        FormIndex index = controller.getModel().getFormIndex();
        TreeReference ref = index.getReference();
        String repeat = repeatPath(ref);
        JsonNode wanted = script.path("repeats").path(repeat);
        if (!wanted.isMissingNode() && ref.getMultiplicity(ref.size() - 1) >= wanted.asInt()) {
            controller.deleteRepeat();
            controller.stepToPreviousEvent();
        }
    }

    private void question(FormEntryPrompt prompt) {
        FormIndex index = prompt.getIndex();
        String path = path(index.getReference());
        shown.add(path);
        if (prompt.isReadOnly()) {
            return;
        }
        String text = answers.get(path);
        if (text == null) {
            checkUnanswered(prompt, path);
            return;
        }
        used.add(path);
        IAnswerData value = answerFor(prompt, path, text);
        if (value == null) {
            return;
        }
        int outcome = controller.answerQuestion(index, value, true);
        if (outcome == FormEntryController.ANSWER_CONSTRAINT_VIOLATED) {
            error("constraint", path, prompt.getConstraintText(value));
        } else if (outcome == FormEntryController.ANSWER_REQUIRED_BUT_EMPTY) {
            error("required", path, prompt.getQuestionText());
        }
    }

    // No scripted answer: the question keeps its default or prefilled value, and Collect
    // checks that value before letting the user move on.
    private void checkUnanswered(FormEntryPrompt prompt, String path) {
        IAnswerData current = prompt.getAnswerValue();
        if (current == null) {
            if (prompt.isRequired()) {
                error("required", path, prompt.getQuestionText());
            }
            return;
        }
        if (!form.evaluateConstraint(prompt.getIndex().getReference(), current)) {
            error("constraint", path, prompt.getConstraintText(current));
        }
    }

    private IAnswerData answerFor(FormEntryPrompt prompt, String path, String text) {
        int control = prompt.getControlType();
        if (control == Constants.CONTROL_SELECT_ONE || control == Constants.CONTROL_SELECT_MULTI) {
            return selection(prompt, path, text, control == Constants.CONTROL_SELECT_MULTI);
        }
        if (text.isEmpty()) {
            return null; // an answer left blank on purpose
        }
        try {
            if (prompt.getDataType() == Constants.DATATYPE_BINARY) {
                return new StringData(text); // a photo or signature: its file name
            }
            return cast(prompt.getDataType(), text);
        } catch (RuntimeException e) {
            error("bad_value", path, text + ": " + e.getMessage());
            return null;
        }
    }

    // Only the choices the engine offers at this point count: choice filters apply.
    private IAnswerData selection(FormEntryPrompt prompt, String path, String text, boolean multi) {
        List<Selection> chosen = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        for (SelectChoice choice : prompt.getSelectChoices()) {
            offered.add(choice.getValue());
        }
        for (String value : text.trim().split("\\s+")) {
            if (value.isEmpty()) {
                continue;
            }
            int at = offered.indexOf(value);
            if (at < 0) {
                error("not_a_choice", path, value + " not in " + offered);
                return null;
            }
            chosen.add(prompt.getSelectChoices().get(at).selection());
        }
        if (chosen.isEmpty()) {
            return null;
        }
        return multi ? new SelectMultiData(chosen) : new SelectOneData(chosen.get(0));
    }

    // Collect checks the whole form again when it is finalised.
    private void finalCheck() {
        ValidateOutcome outcome = form.validate();
        if (outcome != null) {
            String path = path(outcome.failedPrompt.getReference());
            boolean known = errors.stream().anyMatch(e -> e.get("path").equals(path));
            if (!known) {
                boolean empty = outcome.outcome == FormEntryController.ANSWER_REQUIRED_BUT_EMPTY;
                error("finalize", path, empty ? "required" : "constraint");
            }
        }
    }

    private static IAnswerData cast(int dataType, String text) {
        IAnswerData template = AnswerDataFactory.templateByDataType(dataType);
        return template == null ? new StringData(text) : template.cast(new UncastData(text));
    }

    private TreeReference reference(String path) {
        TreeReference ref = new TreeReference();
        ref.setRefLevel(TreeReference.REF_ABSOLUTE);
        for (String step : path.substring(1).split("/")) {
            int open = step.indexOf('[');
            String name = open < 0 ? step : step.substring(0, open);
            String entry = open < 0 ? "1" : step.substring(open + 1, step.length() - 1);
            int mult = Integer.parseInt(entry) - 1;
            ref.add(name, mult);
        }
        return ref;
    }

    // "/data/g/r[2]/q": the element names, with the 1-based entry on repeat levels only.
    private String path(TreeReference ref) {
        AbstractTreeElement<?> element = form.getMainInstance().resolveReference(ref);
        List<String> steps = new ArrayList<>();
        while (element != null && element.getName() != null) {
            String step = element.getName();
            if (element.isRepeatable()) {
                step += "[" + (element.getMult() + 1) + "]";
            }
            steps.add(0, step);
            element = element.getParent();
        }
        return "/" + String.join("/", steps);
    }

    private String repeatPath(TreeReference ref) {
        TreeReference parent = ref.getParentRef();
        String name = ref.getNameLast();
        return (parent.size() > 0 ? path(parent) : "") + "/" + name;
    }

    private void error(String kind, String path, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("kind", kind);
        error.put("path", path);
        error.put("message", message == null ? "" : message);
        errors.add(error);
    }

    // jr://file/NAME and jr://file-csv/NAME are files in the media folder, as on the phone.
    private static final class MediaFolder implements ReferenceFactory {
        private final File folder;

        MediaFolder(File folder) {
            this.folder = folder;
        }

        @Override
        public boolean derives(String uri) {
            return uri.startsWith("jr://file/") || uri.startsWith("jr://file-csv/");
        }

        @Override
        public Reference derive(String uri) {
            return new MediaFile(uri, new File(folder, uri.substring(uri.lastIndexOf('/') + 1)));
        }

        @Override
        public Reference derive(String uri, String context) {
            return derive(uri);
        }
    }

    private static final class MediaFile implements Reference {
        private final String uri;
        private final File file;

        MediaFile(String uri, File file) {
            this.uri = uri;
            this.file = file;
        }

        @Override
        public boolean doesBinaryExist() {
            return file.exists();
        }

        @Override
        public InputStream getStream() throws IOException {
            return new FileInputStream(file);
        }

        @Override
        public String getURI() {
            return uri;
        }

        @Override
        public String getLocalURI() {
            return file.getAbsolutePath();
        }

        @Override
        public boolean isReadOnly() {
            return true;
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public void remove() {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Reference[] probeAlternativeReferences() {
            return new Reference[0];
        }
    }

    // The deviceid preload asks the property manager, as Collect's does.
    private static final class DeviceProperties implements IPropertyManager {
        @Override
        public List<String> getProperty(String name) {
            return List.of(getSingularProperty(name));
        }

        @Override
        public void setProperty(String name, String value) {}

        @Override
        public void setProperty(String name, List<String> values) {}

        @Override
        public String getSingularProperty(String name) {
            return name.equals("deviceid") ? "javarosa:fillform" : "";
        }

        @Override
        public void addRules(IPropertyRules rules) {}

        @Override
        public List<IPropertyRules> getRules() {
            return List.of();
        }
    }
}
