#pragma once
// The 券面 AP's face image (EF 0002) as a real, decodable image (docs/card-model.md, "The face image"): a
// face-recognition reader's software matches it against a camera picture, so it must decode. MODELED: JPEG
// (baseline), since the real chip's format is not public and every reader's software and image library
// decodes JPEG. The default is drawn by the project: a synthetic face marked TEST, different per person,
// never a real one. libjpeg encodes and decodes; this file draws and says what an acceptable image is.
#include <cstddef>
#include <string>

#include "base/bytes.hpp"

namespace mynasim::profile {

// The limits of a face image a profile may name (MODELED): READ BINARY addresses at most 32767 bytes.
inline constexpr std::size_t face_image_max_bytes = 32767;
inline constexpr unsigned face_image_min_side = 32, face_image_max_side = 2048;

struct JpegFacts {
    unsigned width = 0, height = 0, components = 0;
};

// A synthetic face for `person` (deterministic: the same bytes for the same person): 144 x 180 pixels,
// colour, with "TEST" drawn across it and a JPEG comment naming the person.
Bytes synthetic_face_jpeg(const std::string& person);

// What is wrong with `image` as a face image ("" when nothing): not a JPEG, not decodable to its end,
// too large, or sides out of the limits. `facts` gets what the header says, when it can be read.
std::string face_image_problem(const Bytes& image, JpegFacts* facts = nullptr);

}  // namespace mynasim::profile
