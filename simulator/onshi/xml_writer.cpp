#include "xml_writer.hpp"

#include "onshi/charset.hpp"

namespace mynasim::onshi {

namespace {

constexpr std::string_view declaration = "<?xml version=\"1.0\"?>\n";
constexpr std::string_view shift_jis_declaration = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n";

void append_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '\0': return;
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\t': case '\n': case '\r': out += c; break;
            default:
                if (static_cast<unsigned char>(c) < 32) {
                    const int n = static_cast<unsigned char>(c);
                    out += "&#";
                    out += static_cast<char>('0' + n / 10);
                    out += static_cast<char>('0' + n % 10);
                    out += ';';
                } else {
                    out += c;
                }
        }
    }
}

}  // namespace

XmlWriter::XmlWriter(std::string_view root) {
    text_.reserve(2048);
    text_ += declaration;
    open(root);
}

void XmlWriter::start_child() {
    if (start_tag_open_) text_ += ">\n";
    start_tag_open_ = false;
    text_.append(2 * open_.size(), ' ');
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
    start_child();
    text_ += '<';
    text_ += name;
    text_ += '>';
    append_escaped(text_, text);
    text_ += "</";
    text_ += name;
    text_ += ">\n";
    return *this;
}

XmlWriter& XmlWriter::open(std::string_view name) {
    if (!open_.empty()) start_child();
    text_ += '<';
    text_ += name;
    open_.push_back(name);
    start_tag_open_ = true;
    return *this;
}

XmlWriter& XmlWriter::close() {
    const std::string_view name = open_.back();
    open_.pop_back();
    if (start_tag_open_) {
        text_ += " />\n";
        start_tag_open_ = false;
        return *this;
    }
    text_.append(2 * open_.size(), ' ');
    text_ += "</";
    text_ += name;
    text_ += ">\n";
    return *this;
}

std::string XmlWriter::finish(bool shift_jis) {
    while (!open_.empty()) close();
    if (!shift_jis) return std::move(text_);
    // Our own data is all in CP932; should a value not be, the answer stays UTF-8 and says so.
    std::string text = std::string(shift_jis_declaration) + text_.substr(declaration.size());
    if (auto converted = utf8_to_shift_jis(text)) return std::move(*converted);
    return std::move(text_);
}

}  // namespace mynasim::onshi
