#include "face_image.hpp"

#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <jpeglib.h>

namespace mynasim::profile {

namespace {

constexpr unsigned width = 144, height = 180;

struct Rgb {
    std::uint8_t r, g, b;
};

struct Canvas {
    std::vector<std::uint8_t> pixels = std::vector<std::uint8_t>(width * height * 3);
    void set(int x, int y, Rgb c) {
        if (x < 0 || y < 0 || x >= static_cast<int>(width) || y >= static_cast<int>(height)) return;
        auto* p = &pixels[(static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)) * 3];
        p[0] = c.r;
        p[1] = c.g;
        p[2] = c.b;
    }
    // An ellipse centred at (cx, cy) with radii rx, ry; `ring` > 0 draws only its outline that thick.
    void ellipse(double cx, double cy, double rx, double ry, Rgb c, double ring = 0) {
        for (int y = 0; y < static_cast<int>(height); ++y)
            for (int x = 0; x < static_cast<int>(width); ++x) {
                const double dx = (x - cx) / rx, dy = (y - cy) / ry, d = dx * dx + dy * dy;
                const double inner = ring > 0 ? ((rx - ring) / rx) * ((rx - ring) / rx) : -1;
                if (d <= 1.0 && d >= inner) set(x, y, c);
            }
    }
    void rect(int x0, int y0, int x1, int y1, Rgb c) {
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) set(x, y, c);
    }
};

// 5 x 7 glyphs of the letters of "TEST", one row per byte (the low 5 bits, the left pixel the highest).
constexpr std::array<std::uint8_t, 7> glyph_t{0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04};
constexpr std::array<std::uint8_t, 7> glyph_e{0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F};
constexpr std::array<std::uint8_t, 7> glyph_s{0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E};

void text_test(Canvas& canvas, int x, int y, int scale, Rgb c) {
    for (const auto* glyph : {&glyph_t, &glyph_e, &glyph_s, &glyph_t}) {
        for (int row = 0; row < 7; ++row)
            for (int col = 0; col < 5; ++col)
                if ((*glyph)[static_cast<std::size_t>(row)] & (0x10 >> col)) canvas.rect(x + col * scale, y + row * scale, x + (col + 1) * scale, y + (row + 1) * scale, c);
        x += 6 * scale;
    }
}

// FNV-1a: the person's id picks the colours and proportions, so each person's image differs.
std::uint32_t hash_of(const std::string& text) {
    std::uint32_t h = 2166136261u;
    for (const unsigned char c : text) h = (h ^ c) * 16777619u;
    return h;
}

// libjpeg reports errors through a callback that must not return: back to the caller by longjmp.
struct ErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};
void on_error(j_common_ptr info) {
    auto* self = reinterpret_cast<ErrorManager*>(info->err);
    (*info->err->format_message)(info, self->message);
    std::longjmp(self->jump, 1);
}
void no_output(j_common_ptr) {}  // warnings (e.g. a truncated file) are checked by the caller

}  // namespace

Bytes synthetic_face_jpeg(const std::string& person) {
    const std::uint32_t h = hash_of(person);
    const auto pick = [&](int shift, int range) { return static_cast<int>((h >> shift) % static_cast<std::uint32_t>(range)); };
    Canvas canvas;
    canvas.rect(0, 0, width, height, Rgb{static_cast<std::uint8_t>(190 + pick(0, 40)), static_cast<std::uint8_t>(205 + pick(3, 30)), 235});
    const Rgb skin{static_cast<std::uint8_t>(215 + pick(6, 30)), static_cast<std::uint8_t>(170 + pick(9, 30)), static_cast<std::uint8_t>(135 + pick(12, 30))};
    const Rgb hair{static_cast<std::uint8_t>(25 + pick(15, 60)), static_cast<std::uint8_t>(20 + pick(18, 40)), static_cast<std::uint8_t>(15 + pick(21, 30))};
    const Rgb dark{40, 35, 35}, white{245, 245, 245};
    const double face_w = 38 + pick(24, 8), face_h = 50 + pick(27, 8);
    canvas.ellipse(72, 200, 70, 50, Rgb{60, 70, 110});           // shoulders
    canvas.rect(62, 120, 82, 160, skin);                           // neck
    canvas.ellipse(72, 72, face_w + 4, face_h - 6, hair);           // hair behind the face
    canvas.ellipse(72, 82, face_w, face_h, skin);                   // face
    canvas.ellipse(72, 42, face_w, 18, hair);                       // fringe
    for (const double eye : {57.0, 87.0}) {
        canvas.ellipse(eye, 78, 8, 4.5, white);
        canvas.ellipse(eye, 78, 3.5, 3.5, dark);
        canvas.rect(static_cast<int>(eye) - 8, 67, static_cast<int>(eye) + 8, 70, hair);  // eyebrows
    }
    canvas.rect(71, 84, 74, 100, Rgb{static_cast<std::uint8_t>(skin.r - 30), static_cast<std::uint8_t>(skin.g - 30), static_cast<std::uint8_t>(skin.b - 30)});
    canvas.ellipse(72, 110, 14, 5, Rgb{170, 70, 70});               // mouth
    text_test(canvas, 12, 150, 4, Rgb{220, 20, 20});                // TEST, across the chest

    const std::string comment = "TEST synthetic face image for " + person + " (mynasim; not a real person)";
    jpeg_compress_struct info{};
    ErrorManager errors{};
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_error;
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    if (setjmp(errors.jump)) {  // cannot happen for a well-formed canvas; report it rather than crash
        jpeg_destroy_compress(&info);
        std::free(buffer);
        throw std::runtime_error(std::string("face image: JPEG encoding failed: ") + errors.message);
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = width;
    info.image_height = height;
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 80, TRUE);
    jpeg_start_compress(&info, TRUE);
    jpeg_write_marker(&info, JPEG_COM, reinterpret_cast<const JOCTET*>(comment.data()), static_cast<unsigned>(comment.size()));
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = &canvas.pixels[static_cast<std::size_t>(info.next_scanline) * width * 3];
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    Bytes image(buffer, buffer + size);
    std::free(buffer);
    return image;
}

namespace {

enum class Decoded { Whole, Error, Sides };

// The whole decode, with plain locals only: libjpeg leaves by longjmp on an error, which must skip no
// destructor. Rows are allocated in libjpeg's own pool, freed by jpeg_destroy_decompress.
Decoded decode(const Bytes& image, JpegFacts& facts, long& warnings, char (&message)[JMSG_LENGTH_MAX]) {
    jpeg_decompress_struct info{};
    ErrorManager errors{};
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_error;
    errors.base.output_message = no_output;
    if (setjmp(errors.jump)) {
        std::memcpy(message, errors.message, sizeof message);
        jpeg_destroy_decompress(&info);
        return Decoded::Error;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, image.data(), static_cast<unsigned long>(image.size()));
    jpeg_read_header(&info, TRUE);
    facts = JpegFacts{info.image_width, info.image_height, static_cast<unsigned>(info.num_components)};
    if (info.image_width < face_image_min_side || info.image_height < face_image_min_side || info.image_width > face_image_max_side ||
        info.image_height > face_image_max_side) {
        jpeg_destroy_decompress(&info);
        return Decoded::Sides;
    }
    jpeg_start_decompress(&info);
    JSAMPARRAY row = (*info.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&info), JPOOL_IMAGE,
                                               info.output_width * static_cast<JDIMENSION>(info.output_components), 1);
    while (info.output_scanline < info.output_height) jpeg_read_scanlines(&info, row, 1);
    warnings = errors.base.num_warnings;
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return Decoded::Whole;
}

}  // namespace

std::string face_image_problem(const Bytes& image, JpegFacts* facts) {
    if (image.empty()) return "the image is empty";
    if (image.size() > face_image_max_bytes)
        return "the image is " + std::to_string(image.size()) + " bytes; the face image EF holds at most " + std::to_string(face_image_max_bytes);
    if (image.size() < 4 || image[0] != 0xFF || image[1] != 0xD8) return "not a JPEG file (no SOI marker FF D8 at its start)";
    JpegFacts read;
    long warnings = 0;
    char message[JMSG_LENGTH_MAX] = {};
    const auto decoded = decode(image, read, warnings, message);
    if (facts) *facts = read;
    if (decoded == Decoded::Error) return std::string("not a decodable JPEG: ") + message;
    if (decoded == Decoded::Sides)
        return "the image is " + std::to_string(read.width) + " x " + std::to_string(read.height) + " pixels; each side must be " +
               std::to_string(face_image_min_side) + " to " + std::to_string(face_image_max_side);
    // A file cut short decodes with a warning (libjpeg fills the rest in grey): that is no whole image.
    if (warnings > 0) return "the JPEG data is damaged or cut short (libjpeg gave " + std::to_string(warnings) + " warnings)";
    return {};
}

}  // namespace mynasim::profile
