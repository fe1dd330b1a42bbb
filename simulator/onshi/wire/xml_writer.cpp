#include "xml_writer.hpp"

#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

namespace {

// Runs of plain characters are appended at once; only &, <, > and control characters other than tab,
// newline and carriage return are replaced.
void append_escaped(std::string& out, std::string_view text) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 32 ? c != '&' && c != '<' && c != '>' : c == '\t' || c == '\n' || c == '\r') continue;
        out.append(text.substr(plain, i - plain));
        plain = i + 1;
        if (c == 0) return;
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else {
            out += "&#";
            out += static_cast<char>('0' + c / 10);
            out += static_cast<char>('0' + c % 10);
            out += ';';
        }
    }
    out.append(text.substr(plain));
}

}  // namespace

XmlWriter::XmlWriter(std::string_view root) {
    text_.reserve(2048);
    text_ += utf8_declaration;
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
    return in_answer_encoding(std::move(text_), shift_jis);
}

}  // namespace mynasim::onshi
