//! `#[fields]`: a GraphQL object's fields declared once.
//!
//! The server answers the plain leaves of its most listed objects straight from their rows
//! (`graphql::direct`) and reads only the columns a query's selection shows
//! (`graphql::shape`). Both need to know, per GraphQL field, what the field's resolver knows:
//! its value without a context, and the columns it reads. This attribute, put above the
//! `#[Object]` of a row's field resolvers, derives both from the resolvers themselves:
//!
//! ```ignore
//! #[fields(object = Agency, row = agency)]
//! #[Object(name = "Agency")]
//! impl<'a> AgencyFields<'a> {
//!     /// Full name.
//!     #[reads(Name)]
//!     #[direct]
//!     async fn name(&self) -> &str {
//!         &row.name
//!     }
//!     …
//! }
//! ```
//!
//! - `#[reads(Column, …)]` names the columns (variants of `row::Column`) the field reads; with
//!   `row = …` every field says it (`#[reads()]` for none). The resolver's body gets `row`, the
//!   object's row read for exactly those columns (`Shaped::read`, which checks in debug builds
//!   that the row has them).
//! - `#[direct]` marks a leaf that needs neither arguments nor the request: its body is also
//!   compiled as a plain function whose value [`DirectFields`] gives in place.
//! - The attribute implements `graphql::direct::DirectFields` and (with `row`)
//!   `graphql::shape::ShapedObject` for `object`, and `object::declared_fields()` for tests.
//!
//! The impl's self type must be a tuple struct over a reference to `object`
//! (`AgencyFields<'a>(&'a Agency)`).

use heck::ToLowerCamelCase;
use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Ident, ImplItem, ImplItemFn, ItemImpl, Lit, Meta, Path, ReturnType, Token, Type};

/// `object = Type, row = entity_module`.
struct Args {
    object: Path,
    row: Option<Path>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut object = None;
        let mut row = None;
        let pairs = Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated(input)?;
        for pair in pairs {
            let Expr::Path(value) = &pair.value else {
                return Err(syn::Error::new_spanned(&pair.value, "expected a path"));
            };
            if pair.path.is_ident("object") {
                object = Some(value.path.clone());
            } else if pair.path.is_ident("row") {
                row = Some(value.path.clone());
            } else {
                return Err(syn::Error::new_spanned(&pair.path, "expected `object` or `row`"));
            }
        }
        let object = object.ok_or_else(|| input.error("`object = …` is required"))?;
        Ok(Args { object, row })
    }
}

/// What one field declares.
struct Field {
    /// The GraphQL name.
    name: String,
    method: Ident,
    reads: Option<Vec<Ident>>,
    direct: bool,
}

/// Derives the direct leaves and the columns of a GraphQL object's fields from its resolvers.
#[proc_macro_attribute]
pub fn fields(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(args as Args);
    let item = syn::parse_macro_input!(item as ItemImpl);
    match expand(args, item) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

fn expand(args: Args, mut item: ItemImpl) -> syn::Result<Tokens> {
    let mut fields = Vec::new();
    let mut direct_fns = Vec::new();
    for impl_item in &mut item.items {
        let ImplItem::Fn(method) = impl_item else { continue };
        let field = declared(method)?;
        if args.row.is_some() && field.reads.is_none() {
            return Err(syn::Error::new_spanned(
                &method.sig.ident,
                "every field says which columns it reads: #[reads(…)] (#[reads()] for none)",
            ));
        }
        if let (Some(row), Some(reads)) = (&args.row, &field.reads) {
            bind_row(method, row, reads);
        }
        if field.direct {
            direct_fns.push(direct_fn(method, &field)?);
        }
        fields.push(field);
    }
    let self_type = &item.self_ty;
    let fields_path = type_path(self_type)?;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let object = &args.object;

    let direct_arms = fields.iter().filter(|field| field.direct).map(|field| {
        let name = &field.name;
        let function = direct_name(&field.method);
        quote! { #name => ::std::option::Option::Some(fields.#function()), }
    });
    let declared = fields.iter().map(|field| {
        let name = &field.name;
        let shape = shape_of(args.row.as_ref(), field.reads.as_deref());
        let direct = if field.direct {
            let function = direct_name(&field.method);
            quote! { ::std::option::Option::Some(|object: &#object| #fields_path(object).#function()) }
        } else {
            quote! { ::std::option::Option::None }
        };
        quote! { (#name, #shape, #direct), }
    });
    let shaped = args.row.as_ref().map(|row| {
        let arms = fields.iter().map(|field| {
            let name = &field.name;
            let shape = shape_of(Some(row), field.reads.as_deref());
            quote! { #name => ::std::option::Option::Some(#shape), }
        });
        quote! {
            impl crate::graphql::shape::ShapedObject for #object {
                type Entity = #row::Entity;

                fn columns_of(field: &str) -> ::std::option::Option<crate::db::rows::Shape> {
                    match field {
                        #(#arms)*
                        _ => ::std::option::Option::None,
                    }
                }
            }
        }
    });

    Ok(quote! {
        #item

        impl #impl_generics #self_type #where_clause {
            #(#direct_fns)*
        }

        impl crate::graphql::direct::DirectFields for #object {
            fn direct(&self, name: &str) -> ::std::option::Option<async_graphql::Value> {
                let fields = #fields_path(self);
                match name {
                    #(#direct_arms)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        #shaped

        impl #object {
            /// Every field of the object as declared: its GraphQL name, the columns it reads and,
            /// for a direct leaf, its value from the object alone (for tests).
            #[allow(dead_code, clippy::type_complexity)]
            pub fn declared_fields() -> &'static [(
                &'static str,
                crate::db::rows::Shape,
                ::std::option::Option<fn(&#object) -> async_graphql::Value>,
            )] {
                const DECLARED: &[(
                    &str,
                    crate::db::rows::Shape,
                    ::std::option::Option<fn(&#object) -> async_graphql::Value>,
                )] = &[#(#declared)*];
                DECLARED
            }
        }
    })
}

/// The field a method declares; removes this macro's attributes from it.
fn declared(method: &mut ImplItemFn) -> syn::Result<Field> {
    let mut reads = None;
    let mut direct = false;
    let mut kept = Vec::new();
    for attribute in method.attrs.drain(..) {
        if attribute.path().is_ident("reads") {
            let columns = match &attribute.meta {
                Meta::Path(_) => Vec::new(),
                _ => attribute
                    .parse_args_with(Punctuated::<Ident, Token![,]>::parse_terminated)?
                    .into_iter()
                    .collect(),
            };
            reads = Some(columns);
        } else if attribute.path().is_ident("direct") {
            direct = true;
        } else {
            kept.push(attribute);
        }
    }
    method.attrs = kept;
    let name = graphql_name(&method.attrs)?.unwrap_or_else(|| {
        method
            .sig
            .ident
            .to_string()
            .trim_start_matches("r#")
            .to_lower_camel_case()
    });
    Ok(Field {
        name,
        method: method.sig.ident.clone(),
        reads,
        direct,
    })
}

/// The name a `#[graphql(name = "…")]` gives the field, if any.
fn graphql_name(attributes: &[Attribute]) -> syn::Result<Option<String>> {
    for attribute in attributes.iter().filter(|a| a.path().is_ident("graphql")) {
        let Ok(pairs) = attribute.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
            continue;
        };
        for pair in pairs {
            if let Meta::NameValue(pair) = pair
                && pair.path.is_ident("name")
                && let Expr::Lit(ExprLit {
                    lit: Lit::Str(name), ..
                }) = &pair.value
            {
                return Ok(Some(name.value()));
            }
        }
    }
    Ok(None)
}

/// Puts `let row = …read(shape);` before the body: the row of the object, read for the
/// columns the field declares.
fn bind_row(method: &mut ImplItemFn, row: &Path, reads: &[Ident]) {
    let shape = shape_of(Some(row), Some(reads));
    let binding: syn::Stmt = syn::parse_quote! {
        #[allow(unused_variables)]
        let row = crate::graphql::shape::Shaped::read(crate::graphql::shape::RowOf::shaped(self.0), #shape);
    };
    method.block.stmts.insert(0, binding);
}

/// The plain twin of a direct leaf: its body, its value as a GraphQL leaf.
fn direct_fn(method: &ImplItemFn, field: &Field) -> syn::Result<Tokens> {
    if method.sig.inputs.len() != 1 {
        return Err(syn::Error::new_spanned(
            &method.sig,
            "a #[direct] field takes no arguments and no context",
        ));
    }
    let ReturnType::Type(_, ty) = &method.sig.output else {
        return Err(syn::Error::new_spanned(
            &method.sig,
            "a #[direct] field returns a value",
        ));
    };
    let ty: &Type = ty;
    let block = &method.block;
    let name = direct_name(&field.method);
    Ok(quote! {
        #[doc(hidden)]
        fn #name(&self) -> async_graphql::Value {
            let value: #ty = #block;
            crate::graphql::leaf::IntoLeaf::leaf(value)
        }
    })
}

fn direct_name(method: &Ident) -> Ident {
    format_ident!("direct_{}", method.to_string().trim_start_matches("r#"))
}

/// The `Shape` of these columns of `row`, as a constant expression.
fn shape_of(row: Option<&Path>, reads: Option<&[Ident]>) -> Tokens {
    match (row, reads) {
        (Some(row), Some(reads)) => {
            let columns = reads.iter().map(|column| quote! { #row::Column::#column as usize });
            quote! { crate::db::rows::Shape::of_positions(&[#(#columns),*]) }
        }
        _ => quote! { crate::db::rows::Shape::ALL },
    }
}

/// The path of the impl's self type without its generics (`AgencyFields`).
fn type_path(ty: &Type) -> syn::Result<Tokens> {
    let Type::Path(path) = ty else {
        return Err(syn::Error::new_spanned(ty, "expected a tuple struct's path"));
    };
    let mut path = path.path.clone();
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::None;
    }
    Ok(quote! { #path })
}
