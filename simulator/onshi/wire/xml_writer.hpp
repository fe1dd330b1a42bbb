#pragma once
// The one writer of the XML the mock and the reference reception put on the wire: straight into a string,
// laid out and escaped as pugixml's indented save does (the confirmation answer is built on every request,
// and a DOM costs allocations per node). Unit tests keep it byte-identical to pugixml's rendering.
#include <string>
#include <string_view>
#include <vector>

namespace mynasim::onshi {

class XmlWriter {
public:
    explicit XmlWriter(std::string_view root);
    // With its own XML declaration (and newline) instead of `<?xml version="1.0"?>`.
    XmlWriter(std::string_view root, std::string_view declaration);
    // <name>text</name>: the text escaped (&, <, >, control characters) and, as pugixml's C strings are,
    // cut at a NUL.
    XmlWriter& element(std::string_view name, std::string_view text);
    XmlWriter& empty(std::string_view name);  // <name />: an element without content
    XmlWriter& open(std::string_view name);   // a parent element: its children follow until close()
    XmlWriter& close();
    // The document (UTF-8). Closes what is still open.
    std::string finish();

private:
    // `bytes` more at the end of what is written, growing the buffer if need be (inline: an answer asks
    // about a hundred times, nearly always without growing).
    char* room(std::size_t bytes) {
        if (used_ + bytes > text_.size()) grow(bytes);
        char* at = text_.data() + used_;
        used_ += bytes;
        return at;
    }
    void grow(std::size_t bytes);
    void put(std::string_view part);
    // Ends a pending start tag and indents a child, in room for `more` bytes after the indentation
    // (one reservation for the whole element); returns where those bytes go.
    char* start_child(std::size_t more);
    void append_escaped(std::string_view text);
    // The buffer is sized ahead and `used_` says how much is written: a piece costs a copy, not a
    // capacity check and a zero fill each (an answer is about 80 pieces).
    std::string text_;
    std::size_t used_ = 0;
    std::vector<std::string_view> open_;  // names of open elements (the caller's strings, kept alive by it)
    bool start_tag_open_ = false;         // `<name` written, no child yet: closes as `<name />`
};

}  // namespace mynasim::onshi
