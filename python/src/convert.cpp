// Conversions at the border between Python and copydesk::core (convert.hpp).
#include "convert.hpp"

#include <array>
#include <utility>

namespace copydesk::py_binding {

namespace {

struct error_class {
  errc code;
  const char* name;
  const char* doc;
};

// One Python class per errc value (error.hpp), in its order.
constexpr std::array<error_class, 10> error_classes = {{
    {errc::not_found, "NotFoundError", "A path does not exist."},
    {errc::io_error, "IoError", "A file exists but cannot be read or written."},
    {errc::invalid_input, "InputError", "Input content that cannot be used."},
    {errc::duplicate_id, "DuplicateIdError", "Two documents share one id."},
    {errc::invalid_argument, "ArgumentError", "A setting is out of range or inconsistent."},
    {errc::incompatible_params, "IncompatibleParams",
     "Two sketches or an archive and a setting made with different parameters."},
    {errc::unsupported_version, "UnsupportedVersion",
     "A file format version this build cannot read."},
    {errc::corrupt_file, "CorruptFile", "A signature or archive that fails its integrity checks."},
    {errc::empty_input, "EmptyInput", "Nothing to work on where something is required."},
    {errc::internal, "InternalError", "A bug in copydesk: an invariant did not hold."},
}};

// The classes, created once by register_errors and kept for the life of the interpreter.
PyObject* base_error = nullptr;
std::array<PyObject*, error_classes.size()> classes{};

} // namespace

void register_errors(py::module_& m) {
  base_error = PyErr_NewExceptionWithDoc(
      "copydesk.Error",
      "Base class of every error copydesk reports; `code` is the library's error code name.",
      PyExc_Exception, nullptr);
  if (base_error == nullptr)
    throw py::error_already_set();
  py::setattr(base_error, "code", py::none());
  m.add_object("Error", py::handle(base_error));
  for (std::size_t i = 0; i < error_classes.size(); ++i) {
    const error_class& c = error_classes[i];
    py::tuple bases;
    // Errors about the caller's values are ValueErrors too, missing paths FileNotFoundErrors and
    // unreadable files OSErrors, so code written for the built-in classes catches them.
    if (c.code == errc::invalid_argument || c.code == errc::incompatible_params ||
        c.code == errc::invalid_input || c.code == errc::duplicate_id)
      bases = py::make_tuple(py::handle(base_error), py::handle(PyExc_ValueError));
    else if (c.code == errc::not_found)
      bases = py::make_tuple(py::handle(base_error), py::handle(PyExc_FileNotFoundError));
    else if (c.code == errc::io_error)
      bases = py::make_tuple(py::handle(base_error), py::handle(PyExc_OSError));
    else
      bases = py::make_tuple(py::handle(base_error));
    const std::string full = std::string("copydesk.") + c.name;
    PyObject* cls = PyErr_NewExceptionWithDoc(full.c_str(), c.doc, bases.ptr(), nullptr);
    if (cls == nullptr)
      throw py::error_already_set();
    py::setattr(cls, "code", py::str(to_string(c.code)));
    classes[i] = cls;
    m.add_object(c.name, py::handle(cls));
  }
}

void raise(const copydesk::error& e) {
  PyObject* cls = base_error;
  for (std::size_t i = 0; i < error_classes.size(); ++i) {
    if (error_classes[i].code == e.code)
      cls = classes[i];
  }
  PyErr_SetString(cls, e.message.c_str());
  throw py::error_already_set();
}

std::string utf8_of(py::handle s, const std::string& what) {
  if (!PyUnicode_Check(s.ptr())) {
    throw py::type_error(what + " must be a str, not " + std::string(Py_TYPE(s.ptr())->tp_name));
  }
  // ASCII strings share their bytes; others are encoded into a temporary (PyUnicode_AsUTF8AndSize
  // would cache a UTF-8 copy on the caller's str for its whole life).
  if (PyUnicode_IS_ASCII(s.ptr())) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(s.ptr(), &n);
    if (p == nullptr)
      throw py::error_already_set();
    return {p, static_cast<std::size_t>(n)};
  }
  PyObject* b = PyUnicode_AsUTF8String(s.ptr()); // strict: a lone surrogate raises
  if (b == nullptr)
    throw py::error_already_set();
  std::string out(PyBytes_AS_STRING(b), static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
  Py_DECREF(b);
  return out;
}

doc_stream::doc_stream(py::handle docs, std::string id_field, std::string text_field)
    : id_field_(std::move(id_field)), text_field_(std::move(text_field)) {
  if (PyUnicode_Check(docs.ptr()) || PyBytes_Check(docs.ptr())) {
    throw py::type_error("docs must be an iterable of documents (str, (id, text) pairs or dicts), "
                         "not a single " +
                         std::string(Py_TYPE(docs.ptr())->tp_name) + ": wrap one text in a list");
  }
  if (PyMapping_Check(docs.ptr()) && PyDict_Check(docs.ptr())) {
    throw py::type_error("docs must be an iterable of documents, not a dict: pass "
                         "docs.items() for {id: text} or a list of dicts");
  }
  PyObject* it = PyObject_GetIter(docs.ptr());
  if (it == nullptr) {
    PyErr_Clear();
    throw py::type_error("docs must be an iterable of documents, not " +
                         std::string(Py_TYPE(docs.ptr())->tp_name));
  }
  it_ = py::reinterpret_steal<py::iterator>(it);
}

document doc_stream::convert(py::handle item, doc_meta* meta) {
  const std::string where = "document " + std::to_string(position_);
  document d;
  if (PyUnicode_Check(item.ptr())) {
    d.id = std::to_string(position_);
    d.text = utf8_of(item, where);
    return d;
  }
  if (PyTuple_Check(item.ptr()) || PyList_Check(item.ptr())) {
    const auto pair = py::reinterpret_borrow<py::sequence>(item);
    if (pair.size() != 2) {
      throw py::type_error(where + ": a tuple or list must be (id, text), got " +
                           std::to_string(pair.size()) + " items");
    }
    d.id = utf8_of(pair[0], where + ": its id");
    d.text = utf8_of(pair[1], where + ": its text");
    return d;
  }
  if (PyMapping_Check(item.ptr()) && !PySequence_Check(item.ptr())) {
    const auto map = py::reinterpret_borrow<py::object>(item);
    auto get = [&](const std::string& key) -> py::object {
      const py::str k(key);
      if (PyMapping_HasKey(map.ptr(), k.ptr()) == 0)
        return py::none();
      return map[k];
    };
    const py::object text = get(text_field_);
    if (text.is_none())
      throw py::type_error(where + ": the dict has no \"" + text_field_ + "\" key");
    d.text = utf8_of(text, where + ": its \"" + text_field_ + "\"");
    const py::object id = get(id_field_);
    d.id = id.is_none() ? std::to_string(position_)
                        : utf8_of(id, where + ": its \"" + id_field_ + "\"");
    if (meta != nullptr) {
      auto field = [&](const char* key) -> std::optional<std::string> {
        const py::object v = get(key);
        if (v.is_none())
          return std::nullopt;
        return utf8_of(v, where + ": its \"" + key + "\"");
      };
      meta->source = field("source");
      meta->time = field("time");
      meta->url = field("url");
    }
    return d;
  }
  throw py::type_error(where + ": expected a str, an (id, text) pair or a dict with \"" +
                       id_field_ + "\" and \"" + text_field_ + "\", got " +
                       std::string(Py_TYPE(item.ptr())->tp_name));
}

std::vector<document> doc_stream::next(std::size_t max_docs, std::size_t max_bytes,
                                       std::vector<doc_meta>* meta) {
  // Ctrl-C while the library works on a list (no Python code runs to notice it) stops the run
  // at the next batch.
  if (PyErr_CheckSignals() != 0)
    throw py::error_already_set();
  std::vector<document> batch;
  std::size_t bytes = 0;
  while (!done_ && batch.size() < max_docs && bytes < max_bytes) {
    PyObject* item = PyIter_Next(it_.ptr());
    if (item == nullptr) {
      if (PyErr_Occurred() != nullptr)
        throw py::error_already_set();
      done_ = true;
      break;
    }
    const auto owned = py::reinterpret_steal<py::object>(item);
    doc_meta m;
    batch.push_back(convert(owned, meta != nullptr ? &m : nullptr));
    if (meta != nullptr)
      meta->push_back(std::move(m));
    bytes += batch.back().text.size() + 64;
    ++position_;
  }
  return batch;
}

char_offsets::char_offsets(std::string_view utf8) : text_(utf8) {
  for (const char c : utf8) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii_ = false;
      break;
    }
  }
  if (ascii_)
    return;
  blocks_.reserve(utf8.size() / 64 + 1);
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if (i % 64 == 0)
      blocks_.push_back(count);
    count += (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80 ? 1 : 0;
  }
  if (utf8.size() % 64 == 0) // an offset at the very end starts a block of its own
    blocks_.push_back(count);
}

std::size_t char_offsets::operator()(std::uint32_t byte) const noexcept {
  if (ascii_ || byte == 0)
    return byte;
  const std::size_t end = std::min<std::size_t>(byte, text_.size());
  const std::size_t block = end / 64;
  std::size_t count = blocks_[block];
  for (std::size_t i = block * 64; i < end; ++i)
    count += (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

} // namespace copydesk::py_binding
