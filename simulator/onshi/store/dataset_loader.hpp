#pragma once
// Strict loading of a dataset YAML file: unknown or duplicate keys, wrong types, bad dates, unknown
// insurers, duplicate persons or serials -> yaml::LoadError with file:line:col.
#include <string>

#include "onshi/store/dataset.hpp"

namespace mynasim::onshi {

Dataset load_dataset(const std::string& path);
Dataset load_dataset_text(const std::string& text, const std::string& name);

}  // namespace mynasim::onshi
