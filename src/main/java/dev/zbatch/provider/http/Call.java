package dev.zbatch.provider.http;

/** What kind of call failed: decides between AMBIGUOUS_SUBMIT and TRANSIENT, and names the call in messages. */
public enum Call {
    SUBMIT("submit"), STATUS("status poll"), RESULT("result fetch"), DOWNLOAD("image download");

    private final String label;

    Call(String label) {
        this.label = label;
    }

    /** How messages name the call, e.g. "status poll". */
    public String label() {
        return label;
    }

    public boolean isSubmit() {
        return this == SUBMIT;
    }
}
