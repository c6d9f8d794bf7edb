package dev.tributary;

/**
 * One header: a key and a value, both strings. See {@link Headers} for the rules they follow.
 */
public record Header(String key, String value) {
    public Header {
        Headers.checkKey(key);
        Headers.checkValue(key, value);
    }
}
