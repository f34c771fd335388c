// erario — melhorias progressivas (tudo funciona sem este arquivo):
// máscaras de CPF/CNPJ, valor e data no formato brasileiro, fonte sugerida pela
// dotação escolhida e indicador de progresso no envio de arquivos.
(function () {
  "use strict";
  function digitos(s) { return s.replace(/\D/g, ""); }
  function mascaraDocumento(v) {
    var d = digitos(v).slice(0, 14);
    if (d.length <= 11) {
      return d.replace(/^(\d{3})(\d)/, "$1.$2").replace(/^(\d{3})\.(\d{3})(\d)/, "$1.$2.$3")
              .replace(/\.(\d{3})(\d{1,2})$/, ".$1-$2");
    }
    return d.replace(/^(\d{2})(\d)/, "$1.$2").replace(/^(\d{2})\.(\d{3})(\d)/, "$1.$2.$3")
            .replace(/\.(\d{3})(\d)/, ".$1/$2").replace(/(\d{4})(\d{1,2})$/, "$1-$2");
  }
  function mascaraData(v) {
    var d = digitos(v).slice(0, 8);
    return d.replace(/^(\d{2})(\d)/, "$1/$2").replace(/^(\d{2})\/(\d{2})(\d)/, "$1/$2/$3");
  }
  function formatarValor(v) {
    // "1234,5" → "1.234,50" ao sair do campo; texto que não é valor fica como está
    var s = v.trim().replace(/\./g, "").replace(",", ".");
    if (!/^\d+(\.\d{0,2})?$/.test(s)) { return v; }
    var partes = Number(s).toFixed(2).split(".");
    return partes[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".") + "," + partes[1];
  }
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!(el instanceof HTMLInputElement)) { return; }
    if (el.classList.contains("documento") && /^[\d.\/-]*$/.test(el.value)) { el.value = mascaraDocumento(el.value); }
    if (el.classList.contains("data") && /^[\d\/]*$/.test(el.value)) { el.value = mascaraData(el.value); }
  });
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el instanceof HTMLInputElement && el.classList.contains("valor") && el.value) {
      el.value = formatarValor(el.value);
    }
    if (el instanceof HTMLSelectElement && el.dataset.fontePara) {
      var op = el.options[el.selectedIndex];
      var alvo = document.getElementById(el.dataset.fontePara);
      if (alvo && op && op.dataset.fonte && !alvo.value) { alvo.value = op.dataset.fonte; }
    }
  });
  // Indicador de progresso; um segundo envio do mesmo formulário é ignorado. O
  // botão não é desabilitado: desabilitado, o botão clicado (name="acao") não
  // iria no corpo do POST.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.dataset && form.dataset.progresso) {
      if (form.dataset.enviando) { ev.preventDefault(); return; }
      form.dataset.enviando = "1";
      form.setAttribute("aria-busy", "true");
      var p = form.querySelector(".progresso");
      if (p) { p.classList.remove("oculto"); }
    }
  });
  // Voltando pelo histórico (página guardada pelo navegador), o formulário envia de novo.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-enviando]").forEach(function (form) {
      delete form.dataset.enviando;
      form.removeAttribute("aria-busy");
      var p = form.querySelector(".progresso");
      if (p) { p.classList.add("oculto"); }
    });
  });
})();
