// tfidf_matrix accessors: rows as spans over the Eigen compressed arrays, the term table, and the
// canonical cosine every reported score comes from.
#include "tfidf/matrix_impl.hpp"
#include "tfidf/terms.hpp"

namespace copydesk {

tfidf_matrix::tfidf_matrix() : impl_(std::make_unique<impl>()) {}
tfidf_matrix::tfidf_matrix(tfidf_matrix&&) noexcept = default;
tfidf_matrix& tfidf_matrix::operator=(tfidf_matrix&&) noexcept = default;
tfidf_matrix::~tfidf_matrix() = default;

std::size_t tfidf_matrix::rows() const noexcept {
  return static_cast<std::size_t>(impl_->m.rows());
}
std::size_t tfidf_matrix::cols() const noexcept {
  return static_cast<std::size_t>(impl_->m.cols());
}
std::size_t tfidf_matrix::nonzeros() const noexcept {
  return static_cast<std::size_t>(impl_->m.nonZeros());
}

std::span<const std::int32_t> tfidf_matrix::row_terms(std::size_t r) const noexcept {
  const std::int32_t* outer = impl_->m.outerIndexPtr();
  return {impl_->m.innerIndexPtr() + outer[r], static_cast<std::size_t>(outer[r + 1] - outer[r])};
}

std::span<const float> tfidf_matrix::row_weights(std::size_t r) const noexcept {
  const std::int32_t* outer = impl_->m.outerIndexPtr();
  return {impl_->m.valuePtr() + outer[r], static_cast<std::size_t>(outer[r + 1] - outer[r])};
}

std::string_view tfidf_matrix::term(std::int32_t id) const noexcept {
  return impl_->text.get(static_cast<std::size_t>(id));
}
bool tfidf_matrix::is_bigram(std::int32_t id) const noexcept {
  return impl_->bigram[static_cast<std::size_t>(id)] != 0;
}
std::uint64_t tfidf_matrix::term_key(std::int32_t id) const noexcept {
  return impl_->keys[static_cast<std::size_t>(id)];
}
std::uint32_t tfidf_matrix::df(std::int32_t id) const noexcept {
  return impl_->df[static_cast<std::size_t>(id)];
}
float tfidf_matrix::idf(std::int32_t id) const noexcept {
  return impl_->idf[static_cast<std::size_t>(id)];
}
std::uint64_t tfidf_matrix::corpus_documents() const noexcept { return impl_->corpus_docs; }
std::uint64_t tfidf_matrix::model_documents() const noexcept { return impl_->model_docs; }

std::optional<std::int32_t> tfidf_matrix::find(std::string_view term) const noexcept {
  const std::uint64_t key = term_hash(term);
  for (std::size_t t = 0; t < impl_->keys.size(); ++t) {
    if (impl_->keys[t] == key)
      return static_cast<std::int32_t>(t);
  }
  return std::nullopt;
}

float tfidf_matrix::weight(std::size_t r, std::string_view term) const noexcept {
  const auto id = find(term);
  if (!id)
    return 0.0F;
  const auto terms = row_terms(r);
  const auto it = std::lower_bound(terms.begin(), terms.end(), *id);
  if (it == terms.end() || *it != *id)
    return 0.0F;
  return row_weights(r)[static_cast<std::size_t>(it - terms.begin())];
}

double tfidf_matrix::cosine(std::size_t a, std::size_t b) const noexcept {
  const auto ta = row_terms(a);
  const auto tb = row_terms(b);
  const auto wa = row_weights(a);
  const auto wb = row_weights(b);
  double s = 0.0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < ta.size() && j < tb.size()) {
    if (ta[i] < tb[j]) {
      ++i;
    } else if (tb[j] < ta[i]) {
      ++j;
    } else {
      s += static_cast<double>(wa[i++]) * static_cast<double>(wb[j++]);
    }
  }
  return s;
}

std::vector<std::pair<std::int32_t, std::string>>
tfidf_matrix::recover_terms(std::string_view text, std::span<const std::int32_t> ids) const {
  std::vector<std::pair<std::int32_t, std::string>> found;
  // Words are tracked as the text goes; a bigram's string is made only on a match.
  std::string prev;
  std::string cur;
  detail::for_each_term_hash(text, impl_->params,
                             [&](std::uint64_t key, bool bigram, std::string_view tok) {
                               if (!bigram) {
                                 prev.swap(cur);
                                 cur.assign(tok);
                                 return;
                               }
                               for (const std::int32_t id : ids) {
                                 if (term_key(id) == key)
                                   found.emplace_back(id, prev + " " + cur);
                               }
                             });
  return found;
}

void tfidf_matrix::set_term_text(std::int32_t id, std::string text) {
  impl_->text.set(static_cast<std::size_t>(id), text);
}

} // namespace copydesk
